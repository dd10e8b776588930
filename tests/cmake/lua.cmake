# Lua plug-ins (lib/plugin, kernels/lua): the shipped kernels end to end, custom ops, error
# reports and the sandbox (tests/lua/lua_test.py, one ctest per test function). The
# pytorch_py tests run the generated Python in PyTorch, so the script runs under the Python
# that has torch and torchvision.
foreach(name kernels_listing kernel_by_name man_example custom_ops custom_ops_python kernel_errors
             plugins_load_only_when_needed dot pytorch_py_lenet5 pytorch_py_resnet18
             pytorch_py_lstm_classifier pytorch_py_transformer_classifier pytorch_py_examples)
  add_test(NAME lua.${name}
           COMMAND ${SKETCH_TORCH_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/lua/lua_test.py
                   $<TARGET_FILE:sketchc> ${PROJECT_SOURCE_DIR} ${name})
  set_tests_properties(lua.${name} PROPERTIES LABELS lua TIMEOUT 600)
endforeach()
set_tests_properties(lua.custom_ops_python lua.pytorch_py_lenet5 lua.pytorch_py_resnet18 lua.pytorch_py_lstm_classifier
                     lua.pytorch_py_transformer_classifier lua.pytorch_py_examples
                     PROPERTIES LABELS "lua;torch")

# The unit tests of lib/plugin use the Lua C API directly.
target_link_libraries(sketch_tests PRIVATE PkgConfig::LUAJIT)
