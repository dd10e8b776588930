# ONNX Runtime for the interop tests: onnxruntime-node from the npm registry, installed once
# into the build folder by a fixture. Tests that run models add
#   FIXTURES_REQUIRED onnxruntime  ENVIRONMENT NODE_PATH=${SKETCH_ORT_DIR}/node_modules
set(SKETCH_ORT_DIR ${CMAKE_BINARY_DIR}/onnxruntime)
add_test(NAME setup.onnxruntime
         COMMAND ${PROJECT_SOURCE_DIR}/tests/onnx/install_onnxruntime.sh ${SKETCH_ORT_DIR})
set_tests_properties(setup.onnxruntime PROPERTIES FIXTURES_SETUP onnxruntime)
