# Small kernel modules, one per way a module can be wrong, for the loader's unit tests
# (tests/kernel/module_loader_test.cpp). They go to build/test-modules/<kind>/.
foreach(kind no_entry wrong_abi no_factory wrong_name good)
  add_library(test_module_${kind} MODULE ${CMAKE_CURRENT_SOURCE_DIR}/kernel/modules/test_module.cpp)
  target_compile_definitions(test_module_${kind} PRIVATE TEST_MODULE_KIND=${kind})
  target_link_libraries(test_module_${kind} PRIVATE sketch)
  set_target_properties(test_module_${kind} PROPERTIES
    PREFIX "" OUTPUT_NAME sketch_test_kernel
    LIBRARY_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/test-modules/${kind}
    CXX_VISIBILITY_PRESET hidden)
  add_dependencies(sketch_tests test_module_${kind})
endforeach()
target_compile_definitions(sketch_tests PRIVATE SKETCH_TEST_MODULE_DIR="${CMAKE_BINARY_DIR}/test-modules")
