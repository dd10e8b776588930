# The ONNX importer's tests. Unit tests (tests/onnx_import/*_test.cpp) are in sketch_tests,
# which then links the onnx kernel. The corpus of real torch-exported models is generated
# once per build by a fixture; graph-level checks run on it in-process, and
# check_corpus.py runs the full round trip per model (sketch-import -> sketchc check ->
# sketchc compile -> ONNX Runtime on both models -> compare with the PyTorch reference).
target_link_libraries(sketch_tests PRIVATE sketch_onnx)
set(SKETCH_TORCH_PYTHON /usr/bin/python3 CACHE FILEPATH
    "Python interpreter with torch and torchvision, for tests that compare with PyTorch")

set(SKETCH_ONNX_CORPUS ${CMAKE_BINARY_DIR}/onnx_corpus)
set(SKETCH_ONNX_CORPUS_MODELS resnet18 mobilenet_v2 vgg11_bn alexnet squeezenet1_1
    lstm_classifier tiny_transformer)
add_test(NAME setup.onnx_corpus
         COMMAND ${SKETCH_TORCH_PYTHON} ${PROJECT_SOURCE_DIR}/tests/onnx_import/make_corpus_once.py
                 ${PROJECT_SOURCE_DIR}/../shared/corpus/make_corpus.py ${SKETCH_ONNX_CORPUS})
set_tests_properties(setup.onnx_corpus PROPERTIES FIXTURES_SETUP onnx_corpus TIMEOUT 600
                     LABELS "onnx_import;torch")

add_test(NAME onnx_import.corpus_graphs
         COMMAND sketch_tests "-tc=onnx import corpus*" --no-skip)
set_tests_properties(onnx_import.corpus_graphs PROPERTIES
                     FIXTURES_REQUIRED onnx_corpus
                     ENVIRONMENT SKETCH_ONNX_CORPUS=${SKETCH_ONNX_CORPUS}
                     LABELS "onnx_import" TIMEOUT 600)
