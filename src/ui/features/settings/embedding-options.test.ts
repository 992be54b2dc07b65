import { describe, expect, it } from 'vitest';
import { CUSTOM_MODEL_DEFAULTS, draftFrom, draftProblem, overridesFrom } from './embedding-options';

const BGE = { pooling: 'cls', normalize: true, dim: 384, queryPrefix: 'Represent: ', passagePrefix: '' } as const;

describe('the Advanced embedding options form', () => {
  it('starts from the preset and saves only what the user changed', () => {
    const draft = draftFrom(BGE);
    expect(draft).toEqual({ pooling: 'cls', normalize: true, dim: '', queryPrefix: 'Represent: ', passagePrefix: '' });
    expect(overridesFrom(draft, BGE)).toBeUndefined();
    expect(overridesFrom({ ...draft, dim: '384' }, BGE)).toBeUndefined();
    expect(overridesFrom({ ...draft, pooling: 'mean', dim: '128', queryPrefix: '' }, BGE)).toEqual({ pooling: 'mean', truncateDim: 128, queryPrefix: '' });
    expect(overridesFrom({ ...draftFrom(CUSTOM_MODEL_DEFAULTS), normalize: false }, CUSTOM_MODEL_DEFAULTS)).toEqual({ normalize: false });
  });

  it('shows saved overrides over the defaults', () => {
    expect(draftFrom(BGE, { truncateDim: 64, passagePrefix: 'doc: ' })).toEqual({ pooling: 'cls', normalize: true, dim: '64', queryPrefix: 'Represent: ', passagePrefix: 'doc: ' });
  });

  it('flags sizes the model cannot have before anything loads', () => {
    const draft = draftFrom(BGE);
    expect(draftProblem(draft, BGE)).toBeUndefined();
    expect(draftProblem({ ...draft, dim: '385' }, BGE)).toMatch(/384 dimensions/);
    expect(draftProblem({ ...draft, dim: '0' }, BGE)).toMatch(/positive whole number/);
    expect(draftProblem({ ...draft, dim: '1.5' }, BGE)).toMatch(/positive whole number/);
    // Without a preset the size is unknown: the worker checks it when the model loads.
    expect(draftProblem({ ...draftFrom(CUSTOM_MODEL_DEFAULTS), dim: '4096' }, CUSTOM_MODEL_DEFAULTS)).toBeUndefined();
  });
});
