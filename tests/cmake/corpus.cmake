# The interop corpus: real models written by Python's torch and torchvision
# (shared/corpus/make_corpus.py: .onnx, TorchScript .ts.pt, state_dict .sd.pth, reference
# input and output). One fixture generates it, never committed, for the ONNX importer's
# tests and the torch kernel's. It takes minutes and 2.4 GB, so it is made once and kept:
# the sanitizer build (CMakePresets.json) reads the one in build/.
set(SKETCH_CORPUS_DIR ${CMAKE_BINARY_DIR}/corpus CACHE PATH
    "Where the interop corpus is generated; build trees may share one")
set(SKETCH_CORPUS_SCRIPT ${PROJECT_SOURCE_DIR}/../shared/corpus/make_corpus.py)
set(SKETCH_CORPUS_MODELS resnet18 mobilenet_v2 vgg11_bn alexnet squeezenet1_1
    lstm_classifier tiny_transformer)
add_test(NAME setup.corpus
         COMMAND ${SKETCH_TORCH_PYTHON} ${PROJECT_SOURCE_DIR}/tests/support/make_corpus_once.py
                 ${SKETCH_CORPUS_SCRIPT} ${SKETCH_CORPUS_DIR} ${SKETCH_CORPUS_MODELS})
set_tests_properties(setup.corpus PROPERTIES FIXTURES_SETUP corpus TIMEOUT 900
                     LABELS "onnx_import;torch")
