# Every tests/bad/ file announces its diagnostics; one test per file.
file(GLOB bad_inputs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/bad/*.sketch
     ${PROJECT_SOURCE_DIR}/tests/bad/*.yaml)
foreach(input ${bad_inputs})
  get_filename_component(name ${input} NAME)
  add_test(NAME bad/${name}
           COMMAND python3 ${PROJECT_SOURCE_DIR}/tests/bad/run_bad.py $<TARGET_FILE:sketchc> ${input}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}/tests/bad)
endforeach()
