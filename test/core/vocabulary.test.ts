import { describe, expect, it } from 'vitest';
import { chartRank, closestKeys, isThroughput, editDistance, groupKeys, isStepKey, nameWords, pairName, roleOf, tendencyOf, unknownKeyMessage, wantsLogScale } from '../../src/core/vocabulary.js';

describe('nameWords', () => {
  it.each([
    ['val_loss', ['val', 'loss']],
    ['metadata.eval/Accuracy', ['eval', 'accuracy']],
    ['valAccuracy', ['val', 'accuracy']],
    ['mAP@0.5', ['m', 'ap', '0', '5']],
    ['lr-AdamW', ['lr', 'adam', 'w']],
  ])('%s → %j', (key, words) => {
    expect(nameWords(key)).toEqual(words);
  });
});

describe('step keys', () => {
  it.each(['step', 'global_step', 'iteration', 'iter', 'batch', 'epoch', '_step', 'train/epoch', 'trainer/global_step', 'metadata.step', '_runtime', 'Epoch'])('%s is a step key', (key) => {
    expect(isStepKey(key)).toBe(true);
  });
  it.each(['epochs', 'num_train_epochs', 'steps_per_second', 'loss_step', 'batch_size', 'stepsize'])('%s is not', (key) => {
    expect(isStepKey(key)).toBe(false);
  });
});

describe('direction by name', () => {
  it.each([
    // higher is better
    ['accuracy', 'max'], ['val_accuracy', 'max'], ['eval_accuracy', 'max'], ['top5_acc', 'max'], ['acc_top5', 'max'],
    ['val_sparse_categorical_accuracy', 'max'], ['roc_auc', 'max'], ['f1_macro', 'max'], ['precision@5', 'max'],
    ['recall_at_10', 'max'], ['mAP@0.5', 'max'], ['map50', 'max'], ['miou', 'max'], ['bleu', 'max'], ['rougeL', 'max'],
    ['eval_samples_per_second', 'max'], ['train_steps_per_second', 'max'], ['tokens_per_sec', 'max'], ['throughput', 'max'],
    ['valAccuracy', 'max'], ['exact_match', 'max'], ['hit_rate', 'max'], ['reward_mean', 'max'],
    // lower is better
    ['loss', 'min'], ['val_loss', 'min'], ['eval_loss', 'min'], ['valid_loss', 'min'], ['train_loss_epoch', 'min'],
    ['train/loss', 'min'], ['loss/val', 'min'], ['best_val_loss', 'min'], ['val_mean_absolute_error', 'min'], ['mse', 'min'],
    ['rmse', 'min'], ['perplexity', 'min'], ['wer', 'min'], ['error_rate', 'min'], ['categorical_crossentropy', 'min'],
    ['metadata.val_loss', 'min'],
    // neutral
    ['learning_rate', 'neutral'], ['lr', 'neutral'], ['lr-AdamW', 'neutral'], ['grad_norm', 'neutral'], ['loss_scale', 'neutral'],
    ['eval_runtime', 'neutral'], ['train_runtime', 'neutral'], ['seed', 'neutral'], ['per_device_train_batch_size', 'neutral'],
    ['num_train_epochs', 'neutral'], ['total_flos', 'neutral'], ['momentum', 'neutral'], ['step', 'neutral'], ['epoch', 'neutral'],
    ['global_step', 'neutral'], ['some_custom_thing', 'neutral'], ['drop_rate', 'neutral'],
  ])('%s → %s', (key, tendency) => {
    expect(tendencyOf(key)).toBe(tendency);
  });

  it('an override wins, with or without metadata.', () => {
    expect(tendencyOf('grad_norm', { lower: ['grad_norm'] })).toBe('min');
    expect(tendencyOf('metadata.loss', { higher: ['loss'] })).toBe('max');
    expect(tendencyOf('loss', { higher: ['metadata.loss'] })).toBe('max');
  });
});

describe('roles', () => {
  const changing = { numeric: true, constant: false };
  const constant = { numeric: true, constant: true };
  const text = { numeric: false, constant: true };
  it.each([
    ['step', changing, 'step'],
    ['epoch', constant, 'step'],
    ['loss', changing, 'metric'],
    ['test_accuracy', constant, 'metric'],
    ['learning_rate', changing, 'metric'],
    ['learning_rate', constant, 'setting'],
    ['seed', constant, 'setting'],
    ['num_train_epochs', constant, 'setting'],
    ['optimizer', text, 'setting'],
    ['grad_norm', changing, 'metric'],
  ] as const)('%s (%j) is a %s', (key, facts, role) => {
    expect(roleOf(key, facts)).toBe(role);
  });

  it('a constant key with a direction given by override is a metric', () => {
    expect(roleOf('custom', { numeric: true, constant: true }, { higher: ['custom'] })).toBe('metric');
  });
});

describe('pairs', () => {
  it.each([
    ['loss', 'loss'], ['val_loss', 'loss'], ['eval_loss', 'loss'], ['valid_loss', 'loss'], ['train/loss', 'loss'],
    ['train_loss_epoch', 'loss'], ['train_loss_step', 'loss'], ['val_accuracy', 'accuracy'], ['valAccuracy', 'accuracy'],
    ['step', 'step'], ['val', 'val'], ['loss_epoch', 'loss'],
  ])('%s pairs as %s', (key, name) => {
    expect(pairName(key)).toBe(name);
  });

  it('groups train and validation variants, first seen first', () => {
    expect(groupKeys(['loss', 'accuracy', 'lr', 'val_loss', 'val_accuracy', 'eval_loss'])).toEqual([
      ['loss', 'val_loss', 'eval_loss'],
      ['accuracy', 'val_accuracy'],
      ['lr'],
    ]);
  });

  it('keeps groups given by hand, and pairs the rest', () => {
    expect(groupKeys(['loss', 'val_loss', 'accuracy', 'val_accuracy'], [['loss'], ['accuracy', 'val_loss']])).toEqual([
      ['loss'],
      ['accuracy', 'val_loss'],
      ['val_accuracy'],
    ]);
  });
});

describe('log scale', () => {
  it.each([
    [[1e-5, 1e-3, 3e-2], true], // a learning-rate warm-up: more than three decades
    [[2.3, 1.1, 0.001], true],
    [[1, 10, 100, 1000], false], // exactly three decades is not more than three
    [[0.9, 0.5, 0.2], false],
    [[0, 1e-5, 1], false], // zero has no logarithm
    [[-1, 1e-5, 1], false],
    [[1e-6, Number.NaN, 1, Infinity], true], // non-finite values are ignored
    [[], false],
  ])('%j → %s', (values, log) => {
    expect(wantsLogScale(values)).toBe(log);
  });
});

describe('closest keys', () => {
  it('counts a swap as one edit', () => {
    expect(editDistance('lsos', 'loss')).toBe(1);
    expect(editDistance('los', 'loss')).toBe(1);
    expect(editDistance('Loss', 'loss')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the nearest names, then names that contain it', () => {
    const known = ['loss', 'val_loss', 'accuracy', 'val_accuracy', 'lr', 'step'];
    expect(closestKeys('los', known)).toEqual(['loss', 'val_loss']);
    expect(closestKeys('acuracy', known)).toEqual(['accuracy', 'val_accuracy']);
    expect(closestKeys('metadata.los', known)[0]).toBe('loss');
    expect(closestKeys('zzz', known)).toEqual([]);
  });

  it('says what was missing and what was meant', () => {
    expect(unknownKeyMessage('los', 'train.log', ['step', 'loss'])).toBe('no key "los" in train.log; did you mean loss?');
    expect(unknownKeyMessage('acuracy', '2 inputs', ['accuracy', 'val_accuracy'])).toBe('no key "acuracy" in 2 inputs; did you mean accuracy or val_accuracy?');
    expect(unknownKeyMessage('zzz', 'a.log', ['loss', 'step'])).toBe('no key "zzz" in a.log; its keys: loss, step');
    expect(unknownKeyMessage('zzz', 'a.log', [])).toBe('no key "zzz" in a.log: it has no metadata keys');
  });
});

describe('chart order', () => {
  it.each([
    ['val_loss', 0], ['eval_accuracy', 0], ['learning_rate', 1], ['grad_norm', 1], ['eval_runtime', 1],
    ['eval_samples_per_second', 2], ['throughput', 2], ['tokens_per_sec', 2],
  ])('%s ranks %d', (key, rank) => {
    expect(chartRank(key)).toBe(rank);
  });

  it('knows a speed from a quality', () => {
    expect(isThroughput('train_steps_per_second')).toBe(true);
    expect(isThroughput('accuracy')).toBe(false);
  });
});
