# The torch kernel's op table is part of the tools (kernels/builtin_kernels.cpp) and its
# state_dict unpickler has no LibTorch in it either, so the unit tests use them directly
# (tests/torch/*_test.cpp).
target_link_libraries(sketch_tests PRIVATE sketch_kernels)
target_sources(sketch_tests PRIVATE ${PROJECT_SOURCE_DIR}/kernels/torch/state_dict_unpickler.cpp)
target_include_directories(sketch_tests PRIVATE ${PROJECT_SOURCE_DIR}/kernels/torch)
