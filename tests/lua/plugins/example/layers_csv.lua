-- A CSV of the layers: one row per block with its op, output shape, source line, parameter
-- count and the sum of its weights (read in place through ffi). This is the worked example
-- of sketch-kernels(7).
local ffi = ffi

-- A shape table {"N", 3, 32, 32} as "N x 3 x 32 x 32".
local function shapeText(t)
  local dims = {}
  for i, d in ipairs(t.shape) do dims[i] = tostring(d) end
  return table.concat(dims, " x ")
end

-- Sum of a float32 tensor, straight from the weight store's bytes.
local function sum(tensor)
  if tensor.dtype ~= "float32" then return 0 end
  local values = ffi.cast("const float*", tensor.data)
  local total = 0
  for i = 0, tensor.numel - 1 do total = total + values[i] end
  return total
end

sketch.kernel {
  name = "layers-csv",
  extensions = {".csv"},
  description = "CSV table of the layers with parameter counts and weight sums",
  ops = "*",
  export = function(model, weights, out, options)
    out:write("path,op,output,line,params,weight_sum\n")
    for _, node in ipairs(model.nodes) do
      if node.op == "Lambda" then
        sketch.unsupported(node, "a Lambda has no table row")
      end
      local count, total = 0, 0
      for _, p in ipairs(node.params) do
        local tensor = weights[p.key]
        count = count + tensor.numel
        total = total + sum(tensor)
      end
      out:write(string.format("%s,%s,%s,%d,%d,%.6g\n", node.path, node.op,
                              shapeText(node.outputs[1]), node.location.line, count, total))
    end
    return true
  end,
}
