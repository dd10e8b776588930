# Every file in examples/ is one test: check_examples.py holds it to the PyTorch model it
# describes (torchvision's, or one in tests/examples/reference_models.py).
file(GLOB example_files CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/examples/*.sketch ${PROJECT_SOURCE_DIR}/examples/*.yaml)
foreach(example ${example_files})
  get_filename_component(example_name ${example} NAME_WE)
  add_test(NAME example.${example_name}
           COMMAND ${SKETCH_TORCH_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/examples/check_examples.py
                   --sketchc $<TARGET_FILE:sketchc>
                   --shared ${PROJECT_SOURCE_DIR}/../shared
                   ${example})
  set_tests_properties(example.${example_name} PROPERTIES LABELS "examples;torch" TIMEOUT 600)
endforeach()
