# The ONNX importer's tests. Unit tests (tests/onnx_import/*_test.cpp) are in sketch_tests,
# which then links the onnx kernel. On the corpus of real torch-exported models
# (corpus.cmake), graph-level checks run in-process (and write the imported graphs and
# weights, removed after the last check that reads them), compare_state_dict.py holds the weights to PyTorch's
# state_dict, run_imported.py runs the imported graphs in PyTorch against the reference
# outputs, and check_corpus.py runs the full round trip per model (sketch-import ->
# sketchc check -> sketchc compile -> ONNX Runtime on both models -> compare with the
# PyTorch reference).
target_link_libraries(sketch_tests PRIVATE sketch_onnx)

# The loops below name both sets of models SKETCH_ONNX_<SET>.
set(SKETCH_ONNX_CORPUS ${SKETCH_CORPUS_DIR})
set(SKETCH_ONNX_CORPUS_MODELS ${SKETCH_CORPUS_MODELS})

# Small models of tests/onnx_import/make_extra_models.py reach converters the corpus does
# not (GRU, RNN, ConvTranspose, Pad, GELU's decomposition, ...).
set(SKETCH_ONNX_EXTRA ${CMAKE_BINARY_DIR}/onnx_extra)
set(SKETCH_ONNX_EXTRA_MODELS gru_tagger relu_rnn bilstm decoder mlp gated_acts)
add_test(NAME setup.onnx_extra
         COMMAND ${SKETCH_TORCH_PYTHON} ${PROJECT_SOURCE_DIR}/tests/onnx_import/make_extra_models.py
                 ${SKETCH_ONNX_EXTRA})
set_tests_properties(setup.onnx_extra PROPERTIES FIXTURES_SETUP onnx_extra TIMEOUT 600
                     LABELS "onnx_import;torch")

set(SKETCH_ONNX_IMPORTED ${CMAKE_BINARY_DIR}/onnx_imported)
add_test(NAME onnx_import.corpus_graphs
         COMMAND sketch_tests "-tc=onnx import corpus*" --no-skip)
set_tests_properties(onnx_import.corpus_graphs PROPERTIES
                     FIXTURES_REQUIRED "corpus;onnx_extra" FIXTURES_SETUP onnx_imported
                     ENVIRONMENT "SKETCH_ONNX_CORPUS=${SKETCH_ONNX_CORPUS};SKETCH_ONNX_EXTRA=${SKETCH_ONNX_EXTRA};SKETCH_ONNX_IMPORTED=${SKETCH_ONNX_IMPORTED}"
                     LABELS "onnx_import" TIMEOUT 600)
foreach(set corpus extra)
  string(TOUPPER ${set} upper)
  add_test(NAME onnx_import.state_dicts.${set}
           COMMAND ${SKETCH_TORCH_PYTHON} ${PROJECT_SOURCE_DIR}/tests/onnx_import/compare_state_dict.py
                   ${SKETCH_ONNX_${upper}} ${SKETCH_ONNX_IMPORTED} ${SKETCH_ONNX_${upper}_MODELS})
  add_test(NAME onnx_import.run_in_torch.${set}
           COMMAND ${SKETCH_TORCH_PYTHON} ${PROJECT_SOURCE_DIR}/tests/onnx_import/run_imported.py
                   ${SKETCH_ONNX_${upper}} ${SKETCH_ONNX_IMPORTED} ${SKETCH_ONNX_${upper}_MODELS})
  set_tests_properties(onnx_import.state_dicts.${set} onnx_import.run_in_torch.${set} PROPERTIES
                       FIXTURES_REQUIRED "corpus;onnx_extra;onnx_imported"
                       LABELS "onnx_import;torch" TIMEOUT 600)
endforeach()
add_test(NAME cleanup.onnx_imported COMMAND ${CMAKE_COMMAND} -E rm -rf ${SKETCH_ONNX_IMPORTED})
set_tests_properties(cleanup.onnx_imported PROPERTIES FIXTURES_CLEANUP onnx_imported
                     LABELS "onnx_import")

# Full round trip per corpus model, and the unknown-op behaviour of sketch-import. They
# need sketch-import (tools/) and the ONNX exporter; until the tool exists they are
# registered but disabled, so `ctest -L onnx_roundtrip` runs them once it lands.
set(onnx_roundtrip_tests onnx_import.unknown_op)
# onnxruntime.cmake (included after this file) sets the same folder for its fixture.
set(SKETCH_ORT_DIR ${CMAKE_BINARY_DIR}/onnxruntime)
set(sketch_import_bin ${CMAKE_BINARY_DIR}/bin/sketch-import)
if(TARGET sketch-import)
  set(sketch_import_bin $<TARGET_FILE:sketch-import>)
endif()
set(onnx_roundtrip_args
    --sketch-import ${sketch_import_bin} --sketchc $<TARGET_FILE:sketchc>
    --ort-run ${PROJECT_SOURCE_DIR}/tests/onnx/ort_run.js
    --corpus ${SKETCH_ONNX_CORPUS} --out ${CMAKE_BINARY_DIR}/onnx_roundtrip)
foreach(model ${SKETCH_ONNX_CORPUS_MODELS})
  add_test(NAME onnx_import.roundtrip.${model}
           COMMAND ${SKETCH_TORCH_PYTHON} ${PROJECT_SOURCE_DIR}/tests/onnx_import/check_corpus.py
                   ${onnx_roundtrip_args} ${model})
  list(APPEND onnx_roundtrip_tests onnx_import.roundtrip.${model})
endforeach()
add_test(NAME onnx_import.unknown_op
         COMMAND ${SKETCH_TORCH_PYTHON} ${PROJECT_SOURCE_DIR}/tests/onnx_import/check_corpus.py
                 ${onnx_roundtrip_args} --unknown-op)
set_tests_properties(${onnx_roundtrip_tests} PROPERTIES
                     FIXTURES_REQUIRED "corpus;onnxruntime"
                     ENVIRONMENT NODE_PATH=${SKETCH_ORT_DIR}/node_modules
                     LABELS "onnx_roundtrip;onnx_import" TIMEOUT 900)
if(NOT TARGET sketch-import)
  set_tests_properties(${onnx_roundtrip_tests} PROPERTIES DISABLED TRUE)
endif()

# ONNX's own backend test suite (Debian's libonnx-testdata): every case of the PyTorch sets
# and the node cases listed, through sketch-import, compile to TorchScript and PyTorch,
# against the outputs the suite records (tests/onnx_import/check_backend_suite.py).
if(TARGET sketch_torch_kernel AND TARGET sketch-import)
  add_test(NAME onnx_import.backend_suite
           COMMAND ${SKETCH_TORCH_PYTHON} ${PROJECT_SOURCE_DIR}/tests/onnx_import/check_backend_suite.py
                   --sketchc $<TARGET_FILE:sketchc> --sketch-import $<TARGET_FILE:sketch-import>
                   --workdir ${CMAKE_BINARY_DIR}/onnx_backend_suite
                   pytorch-converted pytorch-operator
                   node/test_lrn node/test_lrn_default
                   node/test_instancenorm_epsilon node/test_instancenorm_example)
  set_tests_properties(onnx_import.backend_suite PROPERTIES LABELS "onnx_import;torch" TIMEOUT 900)
endif()
