// Helpers shared by the torch kernel's emitters (torch_ops.cpp, torch_sequence_ops.cpp),
// and the emitters of sequence models, which are long enough for a file of their own.
#pragma once

#include <string>
#include <vector>

#include "torch_ops.h"

namespace sketch::torch_emit {

/// An emission that is one expression.
inline TorchEmission expr(std::string result) { return {{}, std::move(result)}; }

/// The expression of input port `port`.
inline std::string in(const TorchEmitContext& c, size_t port = 0) { return c.inputs.at(port); }

/// `fn(a, b, ...)`.
inline std::string call(const std::string& fn, const std::vector<std::string>& args) {
  std::string out = fn + "(";
  for (size_t i = 0; i < args.size(); ++i) out += (i ? ", " : "") + args[i];
  return out + ")";
}

/// A float literal.
inline std::string num(double v) { return torchLiteral(Value::ofFloat(v)); }

/// RNN, LSTM and GRU through aten's fused recurrences.
TorchEmission recurrent(const TorchEmitContext& c);
/// torch.nn.MultiheadAttention without masks, written out.
TorchEmission multiheadAttention(const TorchEmitContext& c);
/// torch.nn.TransformerEncoderLayer and TransformerDecoderLayer without masks.
TorchEmission transformerLayer(const TorchEmitContext& c);

}  // namespace sketch::torch_emit
