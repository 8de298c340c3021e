#!/usr/bin/env python3
"""Test fixture for VggEncoderTorchvisionTest: a randomly initialised torchvision VGG-16 and its
features before each of the first four max pools.

Writes into OUT (a folder under target/, never committed):
  vgg16-features.safetensors  torchvision's vgg16().features state dict under its own names
                              (features.N.weight [out,in,3,3], features.N.bias [out], all 13 convs),
                              as a user's exported checkpoint would be; no real ImageNet weights
  reference.safetensors       input [B,1,S,S] grayscale in [-1,1] and block1..block4, the outputs of
                              torchvision's features module right before pools 1..4 (after ReLU),
                              for the Java encoder's preprocessing: x -> (x+1)/2, replicated to RGB,
                              torchvision.transforms.Normalize with ImageNet's mean/std

Debian ships python3-torch and python3-torchvision but no safetensors package, so the safetensors
container (8-byte little-endian header length, JSON header, raw little-endian data) is written here.
Usage: vgg16_fixture.py OUT [--seed N] [--side S] [--batch B]
"""
import argparse
import json
import os
import struct

import torch
import torchvision

# indices of the ReLU right before each max pool in vgg16().features
BLOCK_ENDS = [3, 8, 15, 22]


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * ((8 - len(raw) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)
    os.replace(tmp, path)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--side", type=int, default=32)
    p.add_argument("--batch", type=int, default=2)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(1)
    model = torchvision.models.vgg16(weights=None).eval()
    features = model.features
    os.makedirs(a.out, exist_ok=True)
    state = {"features." + k: v for k, v in features.state_dict().items()}
    write_safetensors(os.path.join(a.out, "vgg16-features.safetensors"), state,
                      {"source": "torchvision %s vgg16(weights=None), seed %d" % (torchvision.__version__, a.seed)})

    g = torch.Generator().manual_seed(a.seed + 1)
    x = torch.rand(a.batch, 1, a.side, a.side, generator=g) * 2 - 1
    norm = torchvision.transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
    h = norm(((x + 1) / 2).repeat(1, 3, 1, 1))
    outputs = {"input": x}
    with torch.no_grad():
        block = 0
        for i, layer in enumerate(features):
            h = layer(h)
            if block < len(BLOCK_ENDS) and i == BLOCK_ENDS[block]:
                block += 1
                outputs["block%d" % block] = h.clone()
            if block == len(BLOCK_ENDS):
                break
    write_safetensors(os.path.join(a.out, "reference.safetensors"), outputs,
                      {"torch": torch.__version__, "torchvision": torchvision.__version__, "side": str(a.side)})
    print("wrote", a.out)


if __name__ == "__main__":
    main()
