# sketchc render, diff and convert (tests/cli/render_diff_convert_test.py), one ctest per
# test function. Convert runs its outputs in ONNX Runtime (the `onnxruntime` fixture) and,
# for .pth, in PyTorch: that one needs the torch kernel module.
set(render_diff_convert_script ${PROJECT_SOURCE_DIR}/tests/cli/render_diff_convert_test.py)
set(render_diff_convert_tests render_svg render_dot_and_depth render_png_and_errors diff_pairs
    diff_errors diff_sketch_and_its_onnx_export convert_t7_to_onnx convert_failures)
if(TARGET sketch_torch_kernel)
  list(APPEND render_diff_convert_tests convert_onnx_to_pth convert_block_at_two_widths)
endif()
foreach(name ${render_diff_convert_tests})
  add_test(NAME cli.${name}
           COMMAND /usr/bin/python3 ${render_diff_convert_script} $<TARGET_FILE:sketchc>
                   ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}/render_diff_convert ${name})
  set_tests_properties(cli.${name} PROPERTIES LABELS cli TIMEOUT 300)
endforeach()
set_tests_properties(cli.convert_t7_to_onnx PROPERTIES
                     FIXTURES_REQUIRED onnxruntime
                     ENVIRONMENT NODE_PATH=${CMAKE_BINARY_DIR}/onnxruntime/node_modules)
if(TARGET sketch_torch_kernel)
  set_tests_properties(cli.convert_onnx_to_pth PROPERTIES LABELS "cli;torch")
  set_tests_properties(cli.convert_block_at_two_widths PROPERTIES LABELS "cli;torch"
                       FIXTURES_REQUIRED onnxruntime
                       ENVIRONMENT NODE_PATH=${CMAKE_BINARY_DIR}/onnxruntime/node_modules)
endif()
