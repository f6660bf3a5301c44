"""Tiny PyTorch Lightning training job whose stdout is real Lightning output.

    python lightning_train.py [--out DIR] [--truth PATH] [--epochs N] [--bar tqdm|rich]

3 epochs by default, the TQDM progress bar (--bar tqdm, the default here), train_loss logged on_step
(shown in the bar), val_loss / val_acc logged on_epoch. Right after each
validation the module also prints one JSON line with plain print() (no flush,
no newline before it), so that line glues onto the tqdm bar's last redraw as
it does in real jobs. Fixed seeds, synthetic data, nothing downloaded.
Writes nothing outside DIR (default: a fresh temp dir, removed at exit; env
VIZMETA_FRAMEWORK_OUT also sets it): Lightning's default CSV logs and
checkpoint go there. --truth PATH writes trainer.callback_metrics after every
epoch: {"framework": "lightning", "epochs": [{"epoch": 0, "train_loss": ...}], "printed": [...]}.
"""
import argparse
import json
import os
import shutil
import tempfile

parser = argparse.ArgumentParser()
parser.add_argument("--out", default=os.environ.get("VIZMETA_FRAMEWORK_OUT"))
parser.add_argument("--truth")
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--bar", choices=["tqdm", "rich"], default="tqdm",
                    help="tqdm: what the Trainer picks when `rich` is not installed"
                         " (TQDMProgressBar + ModelSummary); rich: what it picks when `rich`"
                         " is importable, as in a venv with keras (RichProgressBar + RichModelSummary)")
args = parser.parse_args()

tmp = None
out = args.out
if not out:
    out = tmp = tempfile.mkdtemp(prefix="vizmeta-lightning-")
os.makedirs(out, exist_ok=True)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ["XDG_CACHE_HOME"] = os.path.join(out, "cache")
os.environ["TORCH_HOME"] = os.path.join(out, "torch-home")
os.environ["TORCHINDUCTOR_CACHE_DIR"] = os.path.join(out, "torchinductor")
os.environ["TRITON_CACHE_DIR"] = os.path.join(out, "triton")
os.environ["MPLCONFIGDIR"] = os.path.join(out, "mpl")

try:
    import torch
    import lightning as L
    from torch import nn
    from torch.utils.data import DataLoader, TensorDataset

    torch.set_num_threads(1)
    L.seed_everything(1234, verbose=False)

    g = torch.Generator().manual_seed(1234)
    n_train, n_val, n_features = 256, 64, 8
    w = torch.randn(n_features, generator=g)
    x = torch.randn(n_train + n_val, n_features, generator=g)
    y = ((x @ w + 0.5 * torch.randn(n_train + n_val, generator=g)) > 0).long()
    train = DataLoader(TensorDataset(x[:n_train], y[:n_train]), batch_size=32, shuffle=True,
                       generator=torch.Generator().manual_seed(1234))
    val = DataLoader(TensorDataset(x[n_train:], y[n_train:]), batch_size=32)

    printed = []

    class Tiny(L.LightningModule):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(n_features, 16), nn.ReLU(), nn.Linear(16, 2))

        def training_step(self, batch, batch_idx):
            xb, yb = batch
            loss = nn.functional.cross_entropy(self.net(xb), yb)
            self.log("train_loss", loss, on_step=True, on_epoch=False, prog_bar=True)
            return loss

        def validation_step(self, batch, batch_idx):
            xb, yb = batch
            logits = self.net(xb)
            loss = nn.functional.cross_entropy(logits, yb)
            acc = (logits.argmax(dim=1) == yb).float().mean()
            self.log("val_loss", loss, on_step=False, on_epoch=True, prog_bar=True)
            self.log("val_acc", acc, on_step=False, on_epoch=True, prog_bar=True)

        def on_validation_epoch_end(self):
            if self.trainer.sanity_checking:
                return
            m = self.trainer.callback_metrics
            record = {
                "epoch": self.current_epoch,
                "step": self.global_step,
                "val_loss": float(m["val_loss"]),
                "val_acc": float(m["val_acc"]),
            }
            printed.append(record)
            print(json.dumps(record))

        def configure_optimizers(self):
            return torch.optim.Adam(self.parameters(), lr=0.01)

    class Truth(L.Callback):
        """trainer.callback_metrics at the end of every training epoch (after validation)."""

        def __init__(self):
            self.epochs = []

        def on_train_epoch_end(self, trainer, pl_module):
            row = {"epoch": trainer.current_epoch, "global_step": trainer.global_step}
            for k, v in trainer.callback_metrics.items():
                row[k] = float(v)
            self.epochs.append(row)

    truth_cb = Truth()
    callbacks = [truth_cb]
    if args.bar == "tqdm":
        # Lightning picks RichProgressBar + RichModelSummary whenever `rich` is importable
        # (keras depends on rich, so it is in this venv). Turning that flag off makes the
        # Trainer choose its defaults exactly as in an install without rich: TQDMProgressBar
        # and ModelSummary, with no "already configured" notice that passing them would add.
        import lightning.pytorch.trainer.connectors.callback_connector as _cc
        _cc._RICH_AVAILABLE = False
    else:
        import rich  # noqa: F401  (Lightning's default with rich installed: nothing to change)

    trainer = L.Trainer(
        max_epochs=args.epochs,
        accelerator="cpu",
        devices=1,
        default_root_dir=out,
        log_every_n_steps=1,
        callbacks=callbacks,
        deterministic=True,
    )
    trainer.fit(Tiny(), train, val)

    if args.truth:
        truth = {
            "framework": "lightning",
            "version": L.__version__,
            "progress_bar": type(trainer.progress_bar_callback).__name__,
            "steps_per_epoch": len(train),
            "epochs": truth_cb.epochs,
            "printed": printed,
        }
        with open(args.truth, "w") as f:
            json.dump(truth, f, indent=2)
            f.write("\n")
finally:
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
