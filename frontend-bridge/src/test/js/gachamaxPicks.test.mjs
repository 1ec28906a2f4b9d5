import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PickState } from '../../main/web/panels/gachamaxPanel.js';

const candidates = [
  { id: 11, prompt: 'kiki, white background, large, top_left' },
  { id: 12, prompt: 'kiki, blue background, large, middle_left' },
  { id: 13, prompt: 'kiki, black background, small, center' },
];

test('pickState_togglesCandidatesAndDrops_bodySendsOnlyEditedCaptions', () => {
  const state = new PickState({ round: 3 });
  state.toggleCandidate(candidates[0]);
  state.toggleCandidate(candidates[2]);
  state.toggleCandidate(candidates[1]);
  state.toggleCandidate(candidates[1]); // unpicked again
  state.setCaption(13, 'kiki, black background, small, center, smiling');
  state.setCaption(12, 'ignored: not picked');
  state.toggleDrop('10_kiki/a.png');
  state.toggleDrop('10_kiki/b.png');
  state.toggleDrop('10_kiki/a.png');

  assert.deepEqual(state.body(candidates), {
    round: 3,
    candidates: [11, 13],
    captions: { 13: 'kiki, black background, small, center, smiling' },
    drops: ['10_kiki/b.png'],
  });
});

test('pickState_nothingChosen_sendsEmptyPicks', () => {
  assert.deepEqual(new PickState({ round: 1 }).body(candidates), { round: 1, candidates: [], captions: {}, drops: [] });
});
