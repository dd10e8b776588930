// Emitters of sequence models: recurrences over flat weights, attention and transformer
// layers written out as TorchScript (torch_emit.h).
#include <cmath>

#include "torch_emit.h"

namespace sketch::torch_emit {

namespace {

/// torch.nn.functional.multi_head_attention_forward without masks, written out. `p` is the
/// attribute prefix of the attention's parameters ("self." or "self.self_attn.").
std::vector<std::string> attention(const TorchEmitContext& c, const std::string& p,
                                   const std::string& q, const std::string& k,
                                   const std::string& v, const std::string& out, int64_t embed,
                                   int64_t heads, double dropout, bool batchFirst,
                                   bool separate, bool biasKv, bool zeroAttn, bool weights) {
  std::string e = std::to_string(embed), h = std::to_string(heads);
  std::string hd = std::to_string(embed / heads);
  auto has = [&](const std::string& name) { return c.hasParam(p.substr(5) + name); };
  std::string b = has("in_proj_bias") ? p + "in_proj_bias" : "None";
  auto part = [&](int i) {
    std::string lo = std::to_string(i * embed), hi = std::to_string((i + 1) * embed);
    return std::make_pair(p + "in_proj_weight[" + lo + ":" + hi + "]",
                          b == "None" ? b : b + "[" + lo + ":" + hi + "]");
  };
  std::vector<std::string> s;
  std::string t = batchFirst ? ".transpose(0, 1)" : "";
  s.push_back("q = " + q + t);
  s.push_back("k = " + k + t);
  s.push_back("v = " + v + t);
  s.push_back("tgt_len, bsz = q.size(0), q.size(1)");
  const char* names[3] = {"q_proj_weight", "k_proj_weight", "v_proj_weight"};
  const char* vars[3] = {"q", "k", "v"};
  for (int i = 0; i < 3; ++i) {
    auto [w, bias] = part(i);
    if (separate) w = p + names[i];
    s.push_back(std::string(vars[i]) + " = torch.linear(" + vars[i] + ", " + w + ", " + bias + ")");
  }
  if (biasKv) {
    s.push_back("k = torch.cat([k, " + p + "bias_k.repeat(1, bsz, 1)])");
    s.push_back("v = torch.cat([v, " + p + "bias_v.repeat(1, bsz, 1)])");
  }
  s.push_back("q = q.reshape(tgt_len, bsz * " + h + ", " + hd + ").transpose(0, 1)");
  s.push_back("k = k.reshape(k.size(0), bsz * " + h + ", " + hd + ").transpose(0, 1)");
  s.push_back("v = v.reshape(v.size(0), bsz * " + h + ", " + hd + ").transpose(0, 1)");
  if (zeroAttn) {
    s.push_back("k = torch.cat([k, torch.zeros([bsz * " + h + ", 1, " + hd + "], dtype=k.dtype, device=k.device)], 1)");
    s.push_back("v = torch.cat([v, torch.zeros([bsz * " + h + ", 1, " + hd + "], dtype=v.dtype, device=v.device)], 1)");
  }
  s.push_back("attn = torch.softmax(torch.bmm(q / " + num(std::sqrt(double(embed / heads))) +
              ", k.transpose(-2, -1)), -1)");
  if (dropout > 0) s.push_back("attn = torch.dropout(attn, " + num(dropout) + ", self.training)");
  s.push_back(out + " = torch.bmm(attn, v).transpose(0, 1).reshape(tgt_len * bsz, " + e + ")");
  s.push_back(out + " = torch.linear(" + out + ", " + p + "out_proj.weight, " +
              (has("out_proj.bias") ? p + "out_proj.bias" : "None") + ").view(tgt_len, bsz, " +
              e + ")" + t);
  if (weights)
    s.push_back(out + "_weights = attn.view(bsz, " + h + ", tgt_len, attn.size(-1)).mean(1)");
  return s;
}

}  // namespace

/// torch.nn.RNNBase.forward: aten's fused recurrences over PyTorch's flat weight list.
TorchEmission recurrent(const TorchEmitContext& c) {
  const std::string& op = c.node.op->name();
  bool lstm = op == "LSTM";
  std::string weights;
  for (const ParamSpec& p : c.node.params) weights += (weights.empty() ? "" : ", ") + c.param(p.name);
  int64_t layers = c.value("num_layers").asInt() * (c.value("bidirectional").asBool() ? 2 : 1);
  int64_t hidden = c.value("hidden_size").asInt();
  int64_t proj = lstm ? c.value("proj_size").asInt() : 0;
  bool batchFirst = c.value("batch_first").asBool();
  std::string x = in(c);
  auto zeros = [&](int64_t size) {
    return "torch.zeros([" + std::to_string(layers) + ", " + x + ".size(" +
           (batchFirst ? "0" : "1") + "), " + std::to_string(size) + "], dtype=" + x +
           ".dtype, device=" + x + ".device)";
  };
  std::vector<std::string> statements = {"flat_weights = [" + weights + "]"};
  statements.push_back("h_0 = " + (in(c, 1) == "None" ? zeros(proj > 0 ? proj : hidden) : in(c, 1)));
  std::string state = "h_0";
  if (lstm) {
    statements.push_back("c_0 = " + (in(c, 2) == "None" ? zeros(hidden) : in(c, 2)));
    state = "[h_0, c_0]";
  }
  std::string fn = lstm ? "torch.lstm"
                   : op == "GRU" ? "torch.gru"
                   : c.value("nonlinearity").asString() == "relu" ? "torch.rnn_relu"
                                                                  : "torch.rnn_tanh";
  return {statements, call(fn, {x, state, "flat_weights", c.attr("bias"), c.attr("num_layers"),
                                c.attr("dropout"), "self.training", c.attr("bidirectional"),
                                c.attr("batch_first")})};
}

TorchEmission multiheadAttention(const TorchEmitContext& c) {
  int64_t embed = c.value("embed_dim").asInt();
  auto dimOr = [&](const char* name) { return c.value(name).isNone() ? embed : c.value(name).asInt(); };
  bool separate = dimOr("kdim") != embed || dimOr("vdim") != embed;
  std::string q = in(c, 0);
  std::string k = in(c, 1) == "None" ? q : in(c, 1);
  std::string v = in(c, 2) == "None" ? k : in(c, 2);
  return {attention(c, "self.", q, k, v, "out", embed, c.value("num_heads").asInt(),
                    c.value("dropout").asNumber(), c.value("batch_first").asBool(), separate,
                    c.value("add_bias_kv").asBool(), c.value("add_zero_attn").asBool(), true),
          "(out, out_weights)"};
}

/// torch.nn.TransformerEncoderLayer / DecoderLayer.forward without masks.
TorchEmission transformerLayer(const TorchEmitContext& c) {
  bool decoder = c.node.op->name() == "TransformerDecoderLayer";
  int64_t embed = c.value("d_model").asInt(), heads = c.value("nhead").asInt();
  double p = c.value("dropout").asNumber();
  bool batchFirst = c.value("batch_first").asBool(), normFirst = c.value("norm_first").asBool();
  std::string act = c.value("activation").asString() == "gelu" ? "torch.gelu" : "torch.relu";
  auto drop = [&](const std::string& x) {
    return p > 0 ? "torch.dropout(" + x + ", " + num(p) + ", self.training)" : x;
  };
  auto norm = [&](int i, const std::string& x) {
    std::string n = "self.norm" + std::to_string(i);
    return "torch.layer_norm(" + x + ", [" + std::to_string(embed) + "], " + n + ".weight, " + n +
           ".bias, " + c.attr("layer_norm_eps") + ", False)";
  };
  std::vector<std::string> s = {"x = " + in(c, 0)};
  // Each sublayer reads `y` and leaves its result in `z`.
  auto block = [&](int normIndex, const std::vector<std::string>& body) {
    s.push_back("y = " + (normFirst ? norm(normIndex, "x") : std::string("x")));
    s.insert(s.end(), body.begin(), body.end());
    s.push_back(normFirst ? "x = x + " + drop("z") : "x = " + norm(normIndex, "x + " + drop("z")));
  };
  block(1, attention(c, "self.self_attn.", "y", "y", "y", "z", embed, heads, p, batchFirst,
                     false, false, false, false));
  if (decoder)
    block(2, attention(c, "self.multihead_attn.", "y", in(c, 1), in(c, 1), "z", embed, heads, p,
                       batchFirst, false, false, false, false));
  block(decoder ? 3 : 2,
        {"z = torch.linear(" + drop(act + "(torch.linear(y, self.linear1.weight, self.linear1.bias))") +
         ", self.linear2.weight, self.linear2.bias)"});
  return {s, "x"};
}

}  // namespace sketch::torch_emit
