-- PyTorch as Python source: a .py file that rebuilds the model from torch.nn modules and
-- loads its weights from a raw little-endian sidecar (model.py -> model.bin), so the result
-- needs nothing but torch. Module paths are the sketch's, so state_dict keys are too.
--   sketchc compile resnet18.sketch -o resnet18.py
--   python3 -c "import resnet18; m = resnet18.build(); print(m)"

-- Modules built as nn.<Op>(<attributes as keywords>): their attributes are torch.nn's.
local kModules = {}
for _, op in ipairs {
  "Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d",
  "Linear", "Bilinear", "Identity", "Flatten", "Unflatten", "Embedding",
  "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LayerNorm", "GroupNorm",
  "InstanceNorm1d", "InstanceNorm2d", "LocalResponseNorm",
  "ReLU", "ReLU6", "LeakyReLU", "PReLU", "ELU", "SELU", "CELU", "GELU", "SiLU", "Mish",
  "Sigmoid", "Tanh", "Hardtanh", "Hardswish", "Hardsigmoid", "Softplus", "Softsign",
  "Hardshrink", "Softshrink",
  "Softmax", "LogSoftmax", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
  "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d", "AvgPool3d",
  "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d",
  "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "PixelShuffle", "Upsample", "ZeroPad2d",
  "TransformerEncoderLayer", "TransformerDecoderLayer",
} do kModules[op] = true end

-- Recurrent modules return (output, h_n) or (output, (h_n, c_n)).
local kRecurrent = {RNN = 1, GRU = 1, LSTM = 2}

local function pyNumber(v)
  if v == math.floor(v) and math.abs(v) < 2^53 then return string.format("%d", v) end
  if v ~= v then return "float('nan')" end
  if v == math.huge then return "float('inf')" end
  if v == -math.huge then return "-float('inf')" end
  local s = string.format("%.15g", v)
  if tonumber(s) ~= v then s = string.format("%.17g", v) end
  return s
end

local function pyString(s)
  return "'" .. s:gsub("[\\']", "\\%0"):gsub("\n", "\\n") .. "'"
end

local function pyValue(v)
  if v == sketch.none or v == nil then return "None" end
  local t = type(v)
  if t == "boolean" then return v and "True" or "False" end
  if t == "number" then return pyNumber(v) end
  if t == "string" then return pyString(v) end
  local items = {}
  for i, item in ipairs(v) do items[i] = pyValue(item) end
  if #items == 1 then return "(" .. items[1] .. ",)" end
  return "(" .. table.concat(items, ", ") .. ")"
end

local function keywords(attrs)
  local names = {}
  for name in pairs(attrs) do names[#names + 1] = name end
  table.sort(names)
  local parts = {}
  for i, name in ipairs(names) do parts[i] = name .. "=" .. pyValue(attrs[name]) end
  return table.concat(parts, ", ")
end

local function identifier(s)
  s = s:gsub("[^%w_]", "_")
  if s:match("^%d") then s = "_" .. s end
  return s
end

local function className(name)
  local out = identifier(name):gsub("^%l", string.upper):gsub("_(%w)", string.upper)
  return out
end

-- self.layer1 / getattr(self.layer1, "0").conv1
local function moduleRef(path)
  local ref = "self"
  for segment in path:gmatch("[^.]+") do
    if segment:match("^[%a_][%w_]*$") then ref = ref .. "." .. segment
    else ref = "getattr(" .. ref .. ", " .. pyString(segment) .. ")" end
  end
  return ref
end

local function variable(node, output)
  local base = node.category == "input" and identifier(node.name) or identifier(node.path)
  if #node.outputs == 1 or output == 1 then return base end
  return base .. "_" .. identifier(node.outputs[output].port)
end

local function inputVars(node)
  local vars = {}
  for i, input in ipairs(node.inputs) do
    vars[i] = input and variable(input.node, input.output) or false
  end
  return vars
end

-- Tensor functions: an expression of the input variables and attributes.
local kFunctions = {
  Add = function(a, v)
    return a.alpha == 1 and v[1] .. " + " .. v[2] or v[1] .. " + " .. pyValue(a.alpha) .. " * " .. v[2]
  end,
  Sub = function(a, v)
    return a.alpha == 1 and v[1] .. " - " .. v[2] or v[1] .. " - " .. pyValue(a.alpha) .. " * " .. v[2]
  end,
  Mul = function(a, v) return v[1] .. " * " .. v[2] end,
  Div = function(a, v)
    return "torch.div(" .. v[1] .. ", " .. v[2] .. ", rounding_mode=" .. pyValue(a.rounding_mode) .. ")"
  end,
  MatMul = function(a, v) return "torch.matmul(" .. v[1] .. ", " .. v[2] .. ")" end,
  Concat = function(a, v) return "torch.cat([" .. table.concat(v, ", ") .. "], dim=" .. pyValue(a.dim) .. ")" end,
  Select = function(a, v) return v[1] .. ".select(" .. pyValue(a.dim) .. ", " .. pyValue(a.index) .. ")" end,
  Mean = function(a, v)
    if a.dim == sketch.none then return "torch.mean(" .. v[1] .. ")" end
    return "torch.mean(" .. v[1] .. ", dim=" .. pyValue(a.dim) .. ", keepdim=" .. pyValue(a.keepdim) .. ")"
  end,
  Sum = function(a, v)
    if a.dim == sketch.none then return "torch.sum(" .. v[1] .. ")" end
    return "torch.sum(" .. v[1] .. ", dim=" .. pyValue(a.dim) .. ", keepdim=" .. pyValue(a.keepdim) .. ")"
  end,
}

-- A custom op's Python (sketch-kernels(7)): `code` defines what it needs, and `module`
-- (an nn.Module expression from the attributes) or `expression` (from the attributes and
-- the input variables) says how a block is written.
local function customPython(op)
  local declaration = sketch.declaration(op)
  return declaration and declaration.python
end

local function isModule(node)
  local custom = customPython(node.op)
  return kModules[node.op] or kRecurrent[node.op] or (custom and custom.module)
end

local function forwardLine(node)
  local vars = inputVars(node)
  local rnn = kRecurrent[node.op]
  if rnn then
    local args = vars[1]
    if rnn == 2 and vars[2] then args = args .. ", (" .. vars[2] .. ", " .. vars[3] .. ")"
    elseif rnn == 1 and vars[2] then args = args .. ", " .. vars[2] end
    local outs = rnn == 2 and variable(node, 1) .. ", (" .. variable(node, 2) .. ", " .. variable(node, 3) .. ")"
                           or variable(node, 1) .. ", " .. variable(node, 2)
    return outs .. " = " .. moduleRef(node.path) .. "(" .. args .. ")"
  end
  local custom = customPython(node.op)
  if custom and custom.expression then
    return variable(node, 1) .. " = " .. custom.expression(node.attrs, vars)
  end
  if isModule(node) then
    local args = {}
    for i, v in ipairs(vars) do
      if not v then break end
      args[i] = v
    end
    return variable(node, 1) .. " = " .. moduleRef(node.path) .. "(" .. table.concat(args, ", ") .. ")"
  end
  return variable(node, 1) .. " = " .. kFunctions[node.op](node.attrs, vars)
end

-- __init__: group containers first when a member needs them, then each module.
local function initLines(model)
  local lines, made = {}, {}
  local function makeGroup(group)
    if not group or made[group] then return end
    makeGroup(group.parent)
    made[group] = true
    local container = group.kind == "Sequential" and "nn.Sequential()" or className(group.kind) .. "()"
    lines[#lines + 1] = "_add(self, " .. pyString(group.path) .. ", " .. container .. ")"
  end
  local byId = {}
  for _, node in ipairs(model.nodes) do byId[#byId + 1] = node end
  table.sort(byId, function(a, b) return a.id < b.id end)
  for _, node in ipairs(byId) do
    if isModule(node) then
      makeGroup(node.group)
      local custom = customPython(node.op)
      local module = custom and custom.module(node.attrs) or "nn." .. node.op .. "(" .. keywords(node.attrs) .. ")"
      lines[#lines + 1] = "_add(self, " .. pyString(node.path) .. ", " .. module .. ")"
    end
  end
  return lines
end

local function classDefinitions(model)
  local seen, out = {}, {}
  for _, node in ipairs(model.nodes) do
    local custom = customPython(node.op)
    if custom and custom.code and not seen[custom] then
      seen[custom] = true
      out[#out + 1] = custom.code
    end
  end
  for _, group in ipairs(model.groups) do
    if group.kind ~= "Sequential" and not seen[group.kind] then
      seen[group.kind] = true
      out[#out + 1] = "class " .. className(group.kind) .. "(nn.Module):\n" ..
          "    \"\"\"Container of the sketch block " .. group.kind .. "; " .. className(model.name) ..
          ".forward runs its members.\"\"\"\n"
    end
  end
  return table.concat(out, "\n\n")
end

-- The weights sidecar: each parameter's bytes at a 64-byte aligned offset.
local function writeWeights(model, weights, blob)
  local entries = {}
  for _, node in ipairs(model.nodes) do
    for _, p in ipairs(node.params) do
      local t = weights[p.key]
      if not t then return nil, "no weights for '" .. p.key .. "'" end
      local pad = (64 - blob:tell() % 64) % 64
      if pad > 0 then blob:write(string.rep("\0", pad)) end
      entries[#entries + 1] = "    (" .. pyString(p.key) .. ", " .. pyString(t.dtype) .. ", " ..
          pyValue(t.shape) .. ", " .. pyNumber(blob:tell()) .. "),"
      blob:write_tensor(t)
    end
  end
  return entries
end

local kPrelude = [[
# Generated by sketchc from the sketch '%s'. Weights: %s (raw little-endian, C order).
import os

import torch
from torch import nn


def _add(root, path, module):
    parent, _, name = path.rpartition(".")
    (root.get_submodule(parent) if parent else root).add_module(name, module)
]]

local kLoader = [[
WEIGHTS_FILE = %s
TENSORS = [  # state_dict key, dtype, shape, byte offset in WEIGHTS_FILE
%s
]


def load_weights(model, path=None):
    """Loads WEIGHTS_FILE (beside this file unless `path` is given) into `model`."""
    path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), WEIGHTS_FILE)
    with open(path, "rb") as f:
        blob = bytearray(f.read())
    state = {}
    for name, dtype, shape, offset in TENSORS:
        dtype = getattr(torch, dtype)
        count = 1
        for d in shape:
            count *= d
        if count == 0:
            state[name] = torch.zeros(shape, dtype=dtype)
            continue
        tensor = torch.frombuffer(blob, dtype=dtype, count=count, offset=offset)
        state[name] = tensor.reshape(shape).clone()
    model.load_state_dict(state, strict=True)
    return model


def build(path=None):
    """The model with its weights, in eval mode."""
    return load_weights(%s(), path).eval()


if __name__ == "__main__":
    print(build())
]]

local function export(model, weights, out)
  local blob = out:sidecar(".bin")
  local entries, err = writeWeights(model, weights, blob)
  if not entries then return false, err end
  local cls = className(model.name)
  out:write(string.format(kPrelude, model.name, blob:name()), "\n\n")
  local classes = classDefinitions(model)
  if classes ~= "" then out:write(classes, "\n\n") end
  out:write("class ", cls, "(nn.Module):\n    def __init__(self):\n        super().__init__()\n")
  for _, line in ipairs(initLines(model)) do out:write("        ", line, "\n") end
  local args = {}
  for i, input in ipairs(model.inputs) do args[i] = variable(input, 1) end
  out:write("\n    def forward(self, ", table.concat(args, ", "), "):\n")
  for _, node in ipairs(model.nodes) do
    if node.category ~= "input" then out:write("        ", forwardLine(node), "\n") end
  end
  local results = {}
  for i, o in ipairs(model.outputs) do results[i] = variable(o.node, o.output) end
  out:write("        return ", table.concat(results, ", "), "\n\n\n")
  out:write(string.format(kLoader, pyString(blob:name()), table.concat(entries, "\n"), cls))
end

sketch.kernel {
  name = "pytorch-py",
  extensions = {".py"},
  description = "PyTorch Python source: nn.Module code plus a raw weights sidecar (.bin)",
  ops = function(op)
    return kModules[op] or kRecurrent[op] or kFunctions[op] or customPython(op) ~= nil
  end,
  export = export,
}
