"""Tiny Hugging Face Transformers Trainer job whose stdout is real Trainer output.

    python hf_train.py [--out DIR] [--truth PATH] [--epochs N] [--logging-steps N] [--disable-tqdm]

A 1-layer BertForSequenceClassification built from a BertConfig (no download, no
tokenizer) on synthetic token ids; 2 epochs, logging every 2 steps, evaluation
(with accuracy) at the end of each epoch, report_to="none", no checkpoints.
Fixed seeds. Writes nothing outside DIR (default: a fresh temp dir, removed at
exit; env VIZMETA_FRAMEWORK_OUT also sets it). --truth PATH writes
trainer.state.log_history: {"framework": "transformers", "log_history": [...]}.
"""
import argparse
import json
import os
import shutil
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--out", default=os.environ.get("VIZMETA_FRAMEWORK_OUT"))
parser.add_argument("--truth")
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--logging-steps", type=int, default=2)
parser.add_argument("--disable-tqdm", action="store_true",
                    help="TrainingArguments(disable_tqdm=True): no bars; PrinterCallback print()s the logs")
args = parser.parse_args()

tmp = None
out = args.out
if not out:
    out = tmp = tempfile.mkdtemp(prefix="vizmeta-hf-")
os.makedirs(out, exist_ok=True)

# Offline, and every cache a library might touch lives under `out`.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["HF_HOME"] = os.path.join(out, "hf-home")
os.environ["XDG_CACHE_HOME"] = os.path.join(out, "cache")
os.environ["TORCH_HOME"] = os.path.join(out, "torch-home")
os.environ["TORCHINDUCTOR_CACHE_DIR"] = os.path.join(out, "torchinductor")
os.environ["TRITON_CACHE_DIR"] = os.path.join(out, "triton")
os.environ["MPLCONFIGDIR"] = os.path.join(out, "mpl")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

try:
    import numpy as np
    import torch
    from transformers import (
        BertConfig,
        BertForSequenceClassification,
        Trainer,
        TrainingArguments,
        set_seed,
    )
    import transformers

    torch.set_num_threads(1)
    set_seed(1234)

    vocab, seq_len = 100, 12

    class Synthetic(torch.utils.data.Dataset):
        """Tokens 0-2 are 7 for class 1 and 8 for class 0; then 1 label in 8 is flipped."""

        def __init__(self, n, seed):
            g = torch.Generator().manual_seed(seed)
            self.ids = torch.randint(10, vocab, (n, seq_len), generator=g)
            signal = torch.randint(0, 2, (n,), generator=g)
            self.ids[:, 0:3] = torch.where(signal == 1, 7, 8).unsqueeze(1)
            flip = torch.rand(n, generator=g) < 0.125
            self.labels = torch.where(flip, 1 - signal, signal)

        def __len__(self):
            return len(self.labels)

        def __getitem__(self, i):
            return {
                "input_ids": self.ids[i],
                "attention_mask": torch.ones(seq_len, dtype=torch.long),
                "labels": self.labels[i],
            }

    config = BertConfig(
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        vocab_size=vocab,
        max_position_embeddings=32,
        num_labels=2,
    )
    model = BertForSequenceClassification(config)

    def compute_metrics(eval_pred):
        logits, labels = eval_pred
        return {"accuracy": float((np.argmax(logits, axis=-1) == labels).mean())}

    training_args = TrainingArguments(
        output_dir=os.path.join(out, "trainer"),
        num_train_epochs=args.epochs,
        per_device_train_batch_size=8,
        per_device_eval_batch_size=16,
        learning_rate=5e-3,
        logging_strategy="steps",
        logging_steps=args.logging_steps,
        eval_strategy="epoch",
        save_strategy="no",
        report_to="none",
        seed=1234,
        data_seed=1234,
        use_cpu=True,
        dataloader_num_workers=0,
        disable_tqdm=args.disable_tqdm,
    )
    trainer = Trainer(
        model=model,
        args=training_args,
        train_dataset=Synthetic(64, 1),
        eval_dataset=Synthetic(32, 2),
        compute_metrics=compute_metrics,
    )
    trainer.train()

    if args.truth:
        truth = {
            "framework": "transformers",
            "version": transformers.__version__,
            "logging_steps": args.logging_steps,
            "log_history": trainer.state.log_history,
        }
        with open(args.truth, "w") as f:
            json.dump(truth, f, indent=2)
            f.write("\n")
finally:
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
