#include "render/graphviz_render.h"

#include <graphviz/gvc.h>

#include <memory>

namespace sketch {

namespace {

// Graphviz reports through a process-wide callback; a render collects into this buffer.
thread_local std::string* graphvizMessages = nullptr;

int collectMessage(char* message) {
  if (graphvizMessages) *graphvizMessages += message;
  return 0;
}

// One context for the process, never freed: Graphviz's pango plugin caches a pointer to
// the last font name it measured, which dangles once the context that owned it is freed.
GVC_t* graphvizContext() {
  static GVC_t* context = gvContext();
  return context;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

bool renderDot(const std::string& dot, const std::string& format, std::string* image,
               std::string* error) {
  std::string messages;
  graphvizMessages = &messages;
  agusererrf previous = agseterrf(collectMessage);
  GVC_t* gvc = graphvizContext();
  std::unique_ptr<Agraph_t, int (*)(Agraph_t*)> graph(agmemread(dot.c_str()), agclose);
  bool ok = false;
  if (!graph) {
    *error = "graphviz cannot read the drawing: " + trimmed(messages);
  } else if (gvLayout(gvc, graph.get(), "dot") != 0) {
    *error = "graphviz cannot lay out the graph: " + trimmed(messages);
  } else {
    char* data = nullptr;
    unsigned int length = 0;
    if (gvRenderData(gvc, graph.get(), format.c_str(), &data, &length) == 0 && data) {
      image->assign(data, length);
      ok = true;
    } else {
      *error = "graphviz cannot draw " + format + ": " + trimmed(messages);
    }
    gvFreeRenderData(data);
    gvFreeLayout(gvc, graph.get());
  }
  agseterrf(previous);
  graphvizMessages = nullptr;
  return ok;
}

}  // namespace sketch
