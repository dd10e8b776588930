# Conformance of grammar/ with real files: every sketch parses with grammar/sketch.ebnf
# (through Lark) and every YAML sketch validates against grammar/sketch.schema.json.
# Needs Debian's python3-lark, python3-jsonschema and python3-yaml (Makefile `deps`).
if(NOT DEFINED SKETCH_PYTHON)
  set(SKETCH_PYTHON /usr/bin/python3)
endif()
set(grammar_check ${PROJECT_SOURCE_DIR}/tests/lang/check_grammar.py)

file(GLOB grammar_good CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/examples/*.sketch ${PROJECT_SOURCE_DIR}/examples/*.yaml
  ${PROJECT_SOURCE_DIR}/examples/*.yml ${PROJECT_SOURCE_DIR}/tests/lang/data/*)
foreach(file ${grammar_good})
  file(RELATIVE_PATH name ${PROJECT_SOURCE_DIR} ${file})
  add_test(NAME grammar:${name}
    COMMAND ${SKETCH_PYTHON} ${grammar_check} ${PROJECT_SOURCE_DIR}/grammar ${file})
endforeach()

# The grammar must also reject: each of these has one mistake.
file(GLOB grammar_bad CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tests/lang/grammar_bad/*)
foreach(file ${grammar_bad})
  file(RELATIVE_PATH name ${PROJECT_SOURCE_DIR} ${file})
  add_test(NAME grammar:${name}
    COMMAND ${SKETCH_PYTHON} ${grammar_check} ${PROJECT_SOURCE_DIR}/grammar ${file})
  set_tests_properties(grammar:${name} PROPERTIES WILL_FAIL TRUE)
endforeach()
