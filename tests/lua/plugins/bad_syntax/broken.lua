sketch.kernel {
  name = "broken",
  extensions = {".broken"},
  ops = {"Linear"},
  export = function(model, weights, out)
    out:write("x" .. )
  end,
}
