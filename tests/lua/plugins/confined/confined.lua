-- Tries to write beside the output under a path of its own choosing.
sketch.kernel {
  name = "confined",
  extensions = {".confined"},
  ops = "*",
  export = function(model, weights, out)
    out:write("model\n")
    out:sidecar("/../../escaped.txt")
  end,
}
