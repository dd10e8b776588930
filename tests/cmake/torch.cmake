# The torch kernel against real PyTorch (tests/torch/). Each example compiles to a
# TorchScript archive and a state_dict that Python's torch loads and runs like the
# reference model; see tests/torch/check_export.py.
if(TARGET sketch_torch_kernel)
  file(GLOB torch_examples CONFIGURE_DEPENDS
       ${PROJECT_SOURCE_DIR}/examples/*.sketch ${PROJECT_SOURCE_DIR}/examples/*.yaml)
  foreach(example ${torch_examples})
    get_filename_component(example_name ${example} NAME_WE)
    add_test(NAME torch.export.${example_name}
             COMMAND ${SKETCH_TORCH_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/torch/check_export.py
                     --sketchc $<TARGET_FILE:sketchc>
                     --workdir ${CMAKE_CURRENT_BINARY_DIR}/torch/${example_name}
                     ${example})
    set_tests_properties(torch.export.${example_name} PROPERTIES LABELS "torch" TIMEOUT 900)
  endforeach()
endif()

if(TARGET sketch_torch_kernel)
  add_test(NAME torch.ops
           COMMAND ${SKETCH_TORCH_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/torch/check_ops.py
                   --sketchc $<TARGET_FILE:sketchc> --workdir ${CMAKE_CURRENT_BINARY_DIR}/torch/ops)
  set_tests_properties(torch.ops PROPERTIES LABELS "torch" TIMEOUT 900)
endif()

# State_dicts written by Python's torch.save: those of the interop corpus (corpus.cmake)
# bind to the matching examples, as do archives that a zip tool rewrote; files that are not
# plain state_dicts are refused.
if(TARGET sketch_torch_kernel)
  set(state_dict_check ${SKETCH_TORCH_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/torch/check_state_dicts.py
      --sketchc $<TARGET_FILE:sketchc>)
  add_test(NAME torch.state_dict.refusals
           COMMAND ${state_dict_check} refusals --workdir ${CMAKE_CURRENT_BINARY_DIR}/torch/refusals
                   ${PROJECT_SOURCE_DIR}/examples/lenet5.sketch)
  add_test(NAME torch.state_dict.rezipped
           COMMAND ${state_dict_check} rezipped --workdir ${CMAKE_CURRENT_BINARY_DIR}/torch/rezipped
                   ${PROJECT_SOURCE_DIR}/examples/resnet18.sketch)
  set_tests_properties(torch.state_dict.refusals torch.state_dict.rezipped PROPERTIES LABELS "torch")
endif()
if(TARGET sketch_torch_kernel AND EXISTS ${SKETCH_CORPUS_SCRIPT})
  # corpus name -> example
  set(corpus_examples resnet18:resnet18 mobilenet_v2:mobilenet_v2 vgg11_bn:vgg11_bn
      alexnet:alexnet squeezenet1_1:squeezenet1_1 lstm_classifier:lstm_classifier
      tiny_transformer:transformer_classifier)
  foreach(pair ${corpus_examples})
    string(REPLACE ":" ";" pair ${pair})
    list(GET pair 0 corpus_name)
    list(GET pair 1 example_name)
    add_test(NAME torch.state_dict.${corpus_name}
             COMMAND ${state_dict_check} corpus --corpus ${SKETCH_CORPUS_DIR} --name ${corpus_name}
                     --workdir ${CMAKE_CURRENT_BINARY_DIR}/torch/state_dict_${corpus_name}
                     ${PROJECT_SOURCE_DIR}/examples/${example_name}.sketch)
    set_tests_properties(torch.state_dict.${corpus_name} PROPERTIES
                         FIXTURES_REQUIRED corpus LABELS "torch" TIMEOUT 600)
  endforeach()
endif()

# sketch-import of TorchScript archives (tests/torch/check_script_import.py): every corpus
# archive imports, recompiles to .pth and .onnx that reproduce PyTorch's outputs, and a
# second import of the recompiled archive gives the same sketch and weights; every example
# comes back from its own archive the same way; traced models (no constructor arguments
# recorded) come back computing the same; what cannot be imported is refused clearly.
if(TARGET sketch_torch_kernel AND TARGET sketch-import)
  set(script_import_check ${SKETCH_TORCH_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/torch/check_script_import.py
      --sketchc $<TARGET_FILE:sketchc> --sketch-import $<TARGET_FILE:sketch-import>
      --workdir ${CMAKE_CURRENT_BINARY_DIR}/torch/script_import)
  foreach(example ${torch_examples})
    get_filename_component(example_name ${example} NAME_WE)
    add_test(NAME torch.script_import.example.${example_name}
             COMMAND ${script_import_check} example ${example})
    set_tests_properties(torch.script_import.example.${example_name} PROPERTIES
                         LABELS "torch" TIMEOUT 900)
  endforeach()
  add_test(NAME torch.script_import.rezipped.lstm_classifier
           COMMAND ${script_import_check} rezipped ${PROJECT_SOURCE_DIR}/examples/lstm_classifier.sketch)
  set_tests_properties(torch.script_import.rezipped.lstm_classifier PROPERTIES LABELS "torch")
  foreach(traced tiny_lstm resnet18 mobilenet_v2)
    add_test(NAME torch.script_import.traced.${traced} COMMAND ${script_import_check} traced ${traced})
  endforeach()
  add_test(NAME torch.script_import.refusals COMMAND ${script_import_check} refusals)
  set_tests_properties(torch.script_import.traced.tiny_lstm torch.script_import.traced.resnet18
                       torch.script_import.traced.mobilenet_v2 torch.script_import.refusals
                       PROPERTIES LABELS "torch" TIMEOUT 900)
  if(EXISTS ${SKETCH_CORPUS_SCRIPT})
    foreach(corpus_name ${SKETCH_CORPUS_MODELS})
      add_test(NAME torch.script_import.corpus.${corpus_name}
               COMMAND ${script_import_check} corpus ${corpus_name} --corpus ${SKETCH_CORPUS_DIR}
                       --ort-run ${PROJECT_SOURCE_DIR}/tests/onnx/ort_run.js)
      set_tests_properties(torch.script_import.corpus.${corpus_name} PROPERTIES
                           FIXTURES_REQUIRED "corpus;onnxruntime"
                           ENVIRONMENT NODE_PATH=${CMAKE_BINARY_DIR}/onnxruntime/node_modules
                           LABELS "torch" TIMEOUT 900)
    endforeach()
  endif()
endif()

# The fine-tuning edit on torchvision's resnet18 imported from ONNX and from TorchScript:
# a new head and a wider layer4 compiled with --reinit-mismatched keep every other tensor
# byte for byte and the trunk's outputs (tests/torch/check_finetune.py).
if(TARGET sketch_torch_kernel AND TARGET sketch-import)
  foreach(form onnx torchscript)
    add_test(NAME torch.finetune.${form}
             COMMAND ${SKETCH_TORCH_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/torch/check_finetune.py
                     --sketchc $<TARGET_FILE:sketchc> --sketch-import $<TARGET_FILE:sketch-import>
                     --workdir ${CMAKE_CURRENT_BINARY_DIR}/torch/finetune_${form} ${form})
    set_tests_properties(torch.finetune.${form} PROPERTIES LABELS "torch" TIMEOUT 600)
  endforeach()
endif()
