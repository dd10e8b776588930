# The torch kernel's mapping table and its state_dict unpickler have no LibTorch in them,
# so the unit tests compile them in directly (tests/torch/*_test.cpp).
target_sources(sketch_tests PRIVATE ${PROJECT_SOURCE_DIR}/kernels/torch/torch_ops.cpp
               ${PROJECT_SOURCE_DIR}/kernels/torch/torch_sequence_ops.cpp
               ${PROJECT_SOURCE_DIR}/kernels/torch/script_import_table.cpp
               ${PROJECT_SOURCE_DIR}/kernels/torch/state_dict_unpickler.cpp)
target_include_directories(sketch_tests PRIVATE ${PROJECT_SOURCE_DIR}/kernels/torch)
