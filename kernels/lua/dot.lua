-- Graphviz DOT: the checked graph as a picture. Groups (Sequentials, block instances)
-- become clusters, edges carry the tensor shapes that flow along them.
--   sketchc compile net.sketch -o net.dot && dot -Tsvg net.dot -o net.svg

local function quote(s)
  return '"' .. (tostring(s):gsub('[\\"]', '\\%0')) .. '"'
end

-- A label keeps its \n line breaks (DOT's escString); only quotes are escaped.
local function label(...)
  return '"' .. (table.concat({...}, "\\n"):gsub('"', '\\"')) .. '"'
end

local function shapeText(t)
  local dims = {}
  for i, d in ipairs(t.shape) do dims[i] = tostring(d) end
  return "[" .. table.concat(dims, ", ") .. "]"
end

local function writeNode(out, node, indent)
  if node.category == "input" then
    out:write(indent, quote(node.path), " [label=", label(node.name, node.outputs[1].type),
              ", shape=ellipse];\n")
  else
    out:write(indent, quote(node.path), " [label=", label(node.name, node.op), ", shape=box];\n")
  end
end

local function writeGroup(out, group, indent)
  out:write(indent, "subgraph ", quote("cluster_" .. group.path), " {\n")
  out:write(indent, "  label=", quote(group.path .. " (" .. group.kind .. ")"), ";\n")
  for _, node in ipairs(group.nodes) do writeNode(out, node, indent .. "  ") end
  for _, child in ipairs(group.children) do writeGroup(out, child, indent .. "  ") end
  out:write(indent, "}\n")
end

sketch.kernel {
  name = "dot",
  extensions = {".dot", ".gv"},
  description = "Graphviz DOT: blocks as nodes, groups as clusters, shapes on the edges",
  -- A drawing needs nothing from an op but its name: every op is fine, custom ones too.
  ops = "*",
  export = function(model, weights, out)
    out:write("digraph ", quote(model.name), " {\n")
    out:write("  rankdir=TB;\n  node [fontname=\"Helvetica\"];\n")
    for _, node in ipairs(model.nodes) do
      if not node.group then writeNode(out, node, "  ") end
    end
    for _, group in ipairs(model.groups) do
      if not group.parent then writeGroup(out, group, "  ") end
    end
    for _, node in ipairs(model.nodes) do
      for _, input in ipairs(node.inputs) do
        if input then
          out:write("  ", quote(input.node.path), " -> ", quote(node.path), " [label=",
                    quote(shapeText(input)), "];\n")
        end
      end
    end
    for _, output in ipairs(model.outputs) do
      local id = quote("output:" .. output.name)
      out:write("  ", id, " [label=", label(output.name, output.type), ", shape=ellipse];\n")
      out:write("  ", quote(output.node.path), " -> ", id, ";\n")
    end
    out:write("}\n")
  end,
}
