# Torch7 kernel tests. The unit tests link the kernel; LuaJIT (library only: there is no
# Lua Torch here) runs the --emit-lua scripts against a small stand-in for nn and torch.
find_path(LUAJIT_INCLUDE_DIR lua.h PATH_SUFFIXES luajit-2.1 luajit-2.0 REQUIRED)
find_library(LUAJIT_LIBRARY NAMES luajit-5.1 REQUIRED)
target_link_libraries(sketch_tests PRIVATE sketch_t7 ${LUAJIT_LIBRARY})
target_include_directories(sketch_tests PRIVATE ${LUAJIT_INCLUDE_DIR})

# The import test writes each vector model's weights; check_t7.py runs them in PyTorch and
# compares with the outputs Lua Torch recorded.
add_test(NAME t7.import_weights COMMAND sketch_tests "-tc=t7 import: every vector model*")
set_tests_properties(t7.import_weights PROPERTIES FIXTURES_SETUP t7_weights LABELS t7)
add_test(NAME t7.forward_pytorch
         COMMAND ${SKETCH_TORCH_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/t7/check_t7.py ${CMAKE_BINARY_DIR})
set_tests_properties(t7.forward_pytorch PROPERTIES FIXTURES_REQUIRED t7_weights
                     LABELS "t7;torch" TIMEOUT 300)

# Each vector model through sketch-import -> sketchc compile -> ONNX Runtime, against the
# output Lua Torch recorded.
foreach(model small_cnn small_cnn_ascii small_cnn_flatparams mlp_logsoftmax rnn_seqlstm)
  add_test(NAME t7.onnx_runtime.${model}
           COMMAND ${SKETCH_TORCH_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/t7/check_t7_onnx.py
                   ${CMAKE_BINARY_DIR}/bin ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR}/t7_onnx ${model})
  set_tests_properties(t7.onnx_runtime.${model} PROPERTIES
                       FIXTURES_REQUIRED onnxruntime LABELS t7
                       ENVIRONMENT NODE_PATH=${CMAKE_BINARY_DIR}/onnxruntime/node_modules)
endforeach()

# Each one-module file of tests/data/t7/modules through sketch-import -> sketchc compile ->
# torch.jit.load, against the output Lua Torch recorded; the modules not read yet must be
# refused cleanly. Needs the torch kernel (not in the sanitizer build).
if(TARGET sketch_torch_kernel)
  add_test(NAME t7.modules_pytorch
           COMMAND ${SKETCH_TORCH_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/t7/check_t7_modules.py
                   ${CMAKE_BINARY_DIR}/bin ${CMAKE_BINARY_DIR}/t7_modules)
  set_tests_properties(t7.modules_pytorch PROPERTIES LABELS "t7;torch" TIMEOUT 600)
endif()
