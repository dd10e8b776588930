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
