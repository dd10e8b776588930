sketch.kernel {
  name = "escape",
  extensions = {".escape"},
  ops = "*",
  export = function(model, weights, out)
    local f = io.open("/tmp/sketch-escape.txt", "w")
    f:write("escaped")
  end,
}
