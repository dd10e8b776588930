# The torch kernel's mapping table has no LibTorch in it, so the unit tests compile it in
# directly (tests/torch/torch_ops_test.cpp) and check it covers the catalogue.
target_sources(sketch_tests PRIVATE ${PROJECT_SOURCE_DIR}/kernels/torch/torch_ops.cpp)
target_include_directories(sketch_tests PRIVATE ${PROJECT_SOURCE_DIR}/kernels/torch)
