# Command-line behaviour of sketchc (tests/cli/cli_test.py), one ctest per test function.
foreach(name fmt_idempotent text_yaml_text_keeps_graph exit_codes_and_streams check_folder
             fmt_writes_atomically weights_directive weights_edit binary_input error_limit not_utf8
             no_libtorch
             torch_module_errors torch_stdout summary_macs unknown_command ops refusal_says_why)
  add_test(NAME cli.${name}
           COMMAND python3 ${PROJECT_SOURCE_DIR}/tests/cli/cli_test.py $<TARGET_FILE:sketchc>
                   ${PROJECT_SOURCE_DIR} ${name})
endforeach()
