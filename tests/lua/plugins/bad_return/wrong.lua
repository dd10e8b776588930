sketch.kernel {
  name = "wrong",
  extensions = {".wrong"},
  ops = "*",
  export = function(model, weights, out)
    out:write("something\n")
    return 42
  end,
}
