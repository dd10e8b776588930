sketch.kernel {
  name = "shell",
  extensions = {".shell"},
  ops = "*",
  export = function(model, weights, out)
    os.execute("touch /tmp/sketch-escape.txt")
  end,
}
