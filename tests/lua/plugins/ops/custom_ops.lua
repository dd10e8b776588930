-- Two custom ops for the tests: Swish with a learned per-channel beta (parameters, an
-- inferred attribute) and ScaledAdd (two inputs, broadcasting not allowed, a MAC count).
-- Both say how the pytorch-py kernel writes them (the `python` field).

sketch.op {
  name = "Swish",
  doc = "x * sigmoid(beta * x) with one learned beta per channel (dim 1)",
  category = "activation",
  attrs = {
    {name = "num_features", type = "int", inferred = true, doc = "channels, from the input"},
    {name = "init", type = "float", default = 1.0, doc = "initial beta"},
  },
  inputs = {"input"},
  outputs = {"output"},
  shape = function(attrs, inputs)
    local x = inputs[1]
    if #x.shape < 2 then return nil, "Swish expects a batched input with channels at dim 1" end
    local channels = x.shape[2]
    if type(channels) ~= "number" then return nil, "Swish needs a known channel count" end
    if attrs.num_features ~= sketch.none and attrs.num_features ~= channels then
      return nil, "Swish expects " .. attrs.num_features .. " channels, got " .. channels
    end
    attrs.num_features = channels
    return {x}
  end,
  params = function(attrs)
    return {{name = "beta", shape = {attrs.num_features}, init = {"fill", attrs.init}}}
  end,
  macs = function() return 0 end,
  python = {
    code = [[
class Swish(nn.Module):
    def __init__(self, num_features, init=1.0):
        super().__init__()
        self.beta = nn.Parameter(torch.full((num_features,), float(init)))

    def forward(self, x):
        beta = self.beta.view(1, -1, *([1] * (x.dim() - 2)))
        return x * torch.sigmoid(beta * x)
]],
    module = function(attrs)
      return string.format("Swish(%d, %.17g)", attrs.num_features, attrs.init)
    end,
  },
}

sketch.op {
  name = "ScaledAdd",
  doc = "scale * (input + other)",
  module = false,
  attrs = {{name = "scale", type = "float", default = 1.0}},
  inputs = {"input", "other"},
  outputs = {"output"},
  shape = function(attrs, inputs)
    local a, b = inputs[1], inputs[2]
    if a.type ~= b.type then return nil, "ScaledAdd needs equal shapes, got " .. a.type .. " and " .. b.type end
    return {dtype = a.dtype, shape = a.shape}
  end,
  macs = function(attrs, inputs, outputs)
    local n = 1
    for _, d in ipairs(outputs[1].shape) do n = n * d end
    return n
  end,
  python = {
    expression = function(attrs, inputs)
      return string.format("%.17g * (%s + %s)", attrs.scale, inputs[1], inputs[2])
    end,
  },
}
