"""Sketch text that several tests build on."""

# A two-layer perceptron block: instances at different widths exercise binding by shape
# and one TorchScript class per structure.
MLP_BLOCK = """block Mlp(d, hidden) {
  input x
  fc1 = Linear(d, hidden)
  act = GELU()
  fc2 = Linear(hidden, d)
  x -> fc1 -> act -> fc2
  output fc2
}
"""
