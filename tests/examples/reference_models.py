"""PyTorch reference models for the examples that torchvision does not provide.

LSTMClassifier and TinyTransformer are copied from shared/corpus/make_corpus.py (the
interop corpus), so that these tests run without that directory; check_examples.py
compares the copies with the originals whenever the corpus script is available. The
other classes are the PyTorch form of examples/lenet5.sketch, examples/unet_small.sketch
and examples/tiny_resnet.yaml, with the same module names.
"""
import torch
from torch import nn


# Copied from shared/corpus/make_corpus.py.
class LSTMClassifier(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = torch.nn.Embedding(1000, 64)
        self.lstm = torch.nn.LSTM(64, 128, num_layers=2, batch_first=True)
        self.fc = torch.nn.Linear(128, 5)
    def forward(self, x):
        y, _ = self.lstm(self.emb(x))
        return self.fc(y[:, -1])


# Copied from shared/corpus/make_corpus.py.
class TinyTransformer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        layer = torch.nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128, batch_first=True, dropout=0.0)
        self.enc = torch.nn.TransformerEncoder(layer, num_layers=2)
        self.head = torch.nn.Linear(64, 3)
    def forward(self, x):
        return self.head(self.enc(x).mean(dim=1))


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.tanh1, self.s2 = nn.Conv2d(1, 6, 5), nn.Tanh(), nn.AvgPool2d(2)
        self.c3, self.tanh3, self.s4 = nn.Conv2d(6, 16, 5), nn.Tanh(), nn.AvgPool2d(2)
        self.c5, self.tanh5, self.flatten = nn.Conv2d(16, 120, 5), nn.Tanh(), nn.Flatten()
        self.f6, self.tanh6, self.out = nn.Linear(120, 84), nn.Tanh(), nn.Linear(84, 10)

    def forward(self, x):
        x = self.s2(self.tanh1(self.c1(x)))
        x = self.s4(self.tanh3(self.c3(x)))
        x = self.flatten(self.tanh5(self.c5(x)))
        return self.out(self.tanh6(self.f6(x)))


class DoubleConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=False)
        self.bn1, self.relu1 = nn.BatchNorm2d(out_channels), nn.ReLU()
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, padding=1, bias=False)
        self.bn2, self.relu2 = nn.BatchNorm2d(out_channels), nn.ReLU()

    def forward(self, x):
        x = self.relu1(self.bn1(self.conv1(x)))
        return self.relu2(self.bn2(self.conv2(x)))


class UNetSmall(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1, self.pool1 = DoubleConv(1, 16), nn.MaxPool2d(2)
        self.enc2, self.pool2 = DoubleConv(16, 32), nn.MaxPool2d(2)
        self.enc3, self.pool3 = DoubleConv(32, 64), nn.MaxPool2d(2)
        self.bottleneck = DoubleConv(64, 128)
        self.up3, self.dec3 = nn.ConvTranspose2d(128, 64, 2, stride=2), DoubleConv(128, 64)
        self.up2, self.dec2 = nn.ConvTranspose2d(64, 32, 2, stride=2), DoubleConv(64, 32)
        self.up1, self.dec1 = nn.ConvTranspose2d(32, 16, 2, stride=2), DoubleConv(32, 16)
        self.head = nn.Conv2d(16, 2, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(self.pool1(e1))
        e3 = self.enc3(self.pool2(e2))
        b = self.bottleneck(self.pool3(e3))
        d3 = self.dec3(torch.cat([self.up3(b), e3], dim=1))
        d2 = self.dec2(torch.cat([self.up2(d3), e2], dim=1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], dim=1))
        return self.head(d1)


class Residual(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1, self.relu = nn.BatchNorm2d(channels), nn.ReLU()
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        return self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x))))) + x


class TinyResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.body = nn.Sequential(Residual(16), Residual(16))
        self.pool, self.flat = nn.AdaptiveAvgPool2d(1), nn.Flatten()
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        return self.fc(self.flat(self.pool(self.body(self.stem(x)))))
