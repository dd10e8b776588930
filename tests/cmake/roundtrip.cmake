# Export then import through each kernel gives back the sketch (tests/kernel/check_roundtrip.py):
# every example and every single-op sketch of tests/onnx/check_ops.py, `sketchc diff` equal and
# the weights the ones compiled in. /usr/bin/python3 has numpy (and torch, which check_ops.py
# imports for its references).
file(GLOB roundtrip_examples CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/examples/*.sketch ${PROJECT_SOURCE_DIR}/examples/*.yaml)
foreach(opset 13 17)
  add_test(NAME roundtrip.onnx.opset${opset}
           COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/kernel/check_roundtrip.py
                   --bin $<TARGET_FILE_DIR:sketchc> --kernel onnx --opset ${opset}
                   ${roundtrip_examples})
  set_tests_properties(roundtrip.onnx.opset${opset} PROPERTIES LABELS "onnx;roundtrip"
                       TIMEOUT 900)
endforeach()
if(TARGET sketch_torch_kernel)
  add_test(NAME roundtrip.torch
           COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/kernel/check_roundtrip.py
                   --bin $<TARGET_FILE_DIR:sketchc> --kernel torch ${roundtrip_examples})
  set_tests_properties(roundtrip.torch PROPERTIES LABELS "torch;roundtrip" TIMEOUT 900)
endif()
add_test(NAME roundtrip.t7
         COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/tests/kernel/check_roundtrip.py
                 --bin $<TARGET_FILE_DIR:sketchc> --kernel t7 ${roundtrip_examples})
set_tests_properties(roundtrip.t7 PROPERTIES LABELS "t7;roundtrip" TIMEOUT 900)
