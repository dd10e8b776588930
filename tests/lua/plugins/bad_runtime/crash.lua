sketch.kernel {
  name = "crash",
  extensions = {".crash"},
  ops = "*",
  export = function(model, weights, out)
    out:write("partial output\n")
    local missing = model.nodes[1].no_such_field
    return missing.field
  end,
}
