# seq.json must be what make_golden_seq.py records from PyTorch today (deterministic output).
# Needs the system Python with torch; without it the check is skipped rather than failed.
execute_process(COMMAND /usr/bin/python3 -c "import torch"
                RESULT_VARIABLE torch_missing OUTPUT_QUIET ERROR_QUIET)
if(torch_missing EQUAL 0)
  add_test(NAME golden_seq_current
           COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/ops/golden/make_golden_seq.py --check)
endif()
