# Command-line behaviour shared by the tools: logging, progress bars and colour
# (tests/cli/logging_test.py), man pages in step with --help (tests/cli/man_sync_test.py),
# shell completions (tests/cli/completion_test.py). One ctest per test function.
if(NOT DEFINED SKETCH_PYTHON)
  set(SKETCH_PYTHON /usr/bin/python3)
endif()
foreach(name log_levels log_file no_progress_off_terminal progress_on_terminal colour)
  add_test(NAME cli_logging.${name}
           COMMAND ${SKETCH_PYTHON} ${PROJECT_SOURCE_DIR}/tests/cli/logging_test.py
                   $<TARGET_FILE:sketchc> ${PROJECT_SOURCE_DIR} ${name})
endforeach()
foreach(name sketchc sketch_import help_examples version kernel_options)
  add_test(NAME man_sync.${name}
           COMMAND ${SKETCH_PYTHON} ${PROJECT_SOURCE_DIR}/tests/cli/man_sync_test.py
                   $<TARGET_FILE_DIR:sketchc> ${PROJECT_SOURCE_DIR} ${name})
endforeach()
foreach(name bash_loads bash_completes zsh_completes)
  add_test(NAME completion.${name}
           COMMAND ${SKETCH_PYTHON} ${PROJECT_SOURCE_DIR}/tests/cli/completion_test.py
                   $<TARGET_FILE_DIR:sketchc> ${PROJECT_SOURCE_DIR} ${name})
endforeach()
set_tests_properties(completion.zsh_completes PROPERTIES SKIP_RETURN_CODE 77)
