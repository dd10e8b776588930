# Safetensors interop: files from an independent numpy implementation of the format must
# read back identically and be rewritten byte for byte as the reference writer lays them
# out (tests/weights/safetensors_interop_test.cpp, tests/weights/check_safetensors.py).
add_test(NAME weights_safetensors_interop
         COMMAND sketch_tests --no-skip "--test-case=safetensors interop*")
set_tests_properties(weights_safetensors_interop PROPERTIES LABELS interop)
