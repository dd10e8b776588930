# Reliability (README "Reliability"): the fuzz regression inputs replayed in the unit tests,
# the bad model-file suite, atomic outputs under kill -9, and byte-identical outputs.
target_sources(sketch_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/fuzz/entry_points.cpp)
target_include_directories(sketch_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests/fuzz
                           ${PROJECT_SOURCE_DIR}/kernels/t7)

# Hostile model files and paths (tests/reliability/run_bad_models.py, bad_files.py). The
# torch Python has the onnx package the ONNX-specific cases are made with.
add_test(NAME reliability.bad_models
         COMMAND ${SKETCH_TORCH_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/reliability/run_bad_models.py
                 --sketchc $<TARGET_FILE:sketchc> --sketch-import $<TARGET_FILE:sketch-import>
                 --source ${PROJECT_SOURCE_DIR}
                 --workdir ${CMAKE_CURRENT_BINARY_DIR}/reliability/bad_models)
set_tests_properties(reliability.bad_models PROPERTIES LABELS reliability TIMEOUT 900)

# kill -9 in the middle of a ~300 MB write.
add_test(NAME reliability.kill_during_write
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/reliability/kill_during_write.py
                 --sketchc $<TARGET_FILE:sketchc> --sketch-import $<TARGET_FILE:sketch-import>
                 --workdir ${CMAKE_CURRENT_BINARY_DIR}/reliability/kill)
set_tests_properties(reliability.kill_during_write PROPERTIES LABELS reliability TIMEOUT 900)

# Every example compiled twice, byte for byte; one test per example so that ctest -j spreads
# them.
file(GLOB reliability_examples CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/examples/*.sketch ${PROJECT_SOURCE_DIR}/examples/*.yaml)
foreach(example ${reliability_examples})
  get_filename_component(example_name ${example} NAME_WE)
  add_test(NAME reliability.deterministic.${example_name}
           COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/reliability/deterministic_outputs.py
                   --sketchc $<TARGET_FILE:sketchc> --sketch-import $<TARGET_FILE:sketch-import>
                   --workdir ${CMAKE_CURRENT_BINARY_DIR}/reliability/deterministic ${example})
  set_tests_properties(reliability.deterministic.${example_name} PROPERTIES
                       LABELS reliability TIMEOUT 900)
endforeach()
