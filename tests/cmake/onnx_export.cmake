# ONNX export against the real tools: every example compiled to ONNX and run in ONNX Runtime
# next to PyTorch (check_export.py), the per-op table (check_ops.py) at opsets 13 and 17.
# Both need onnxruntime-node (the `onnxruntime` fixture), node, and /usr/bin/python3 with
# torch, torchvision and onnx. This file is included before onnxruntime.cmake and may come
# before examples.cmake, so it names the fixture's folder and the examples itself.
set(SKETCH_ORT_DIR ${CMAKE_BINARY_DIR}/onnxruntime)
file(GLOB onnx_example_files CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/examples/*.sketch ${PROJECT_SOURCE_DIR}/examples/*.yaml)
foreach(example ${onnx_example_files})
  get_filename_component(example_name ${example} NAME_WE)
  add_test(NAME onnx_export.${example_name}
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/onnx/check_export.py
                   --sketchc $<TARGET_FILE:sketchc> ${example})
  set_tests_properties(onnx_export.${example_name} PROPERTIES
    LABELS "onnx;torch" TIMEOUT 900 FIXTURES_REQUIRED onnxruntime
    ENVIRONMENT NODE_PATH=${SKETCH_ORT_DIR}/node_modules)
endforeach()

foreach(opset 13 17)
  add_test(NAME onnx_export.ops.opset${opset}
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/onnx/check_ops.py
                   --sketchc $<TARGET_FILE:sketchc> --opset ${opset})
  set_tests_properties(onnx_export.ops.opset${opset} PROPERTIES
    LABELS "onnx;torch" TIMEOUT 900 FIXTURES_REQUIRED onnxruntime
    ENVIRONMENT NODE_PATH=${SKETCH_ORT_DIR}/node_modules)
endforeach()
