import type { FixtureFile } from './fixtures';

/** Small documents with words that appear in exactly one of them. */
export const CORPUS: FixtureFile[] = [
  {
    name: 'volcanoes.txt',
    content:
      'Volcanoes form where magma reaches the surface.\n\nBasaltic lava from shield volcanoes such as Mauna Loa flows far before it cools. ' +
      'Stratovolcanoes erupt explosively because their andesitic magma traps gas.\n\nPyroclastic flows are the deadliest volcanic hazard.',
    type: 'text/plain',
  },
  {
    name: 'sourdough.md',
    content:
      '# Sourdough baking\n\nA sourdough starter is a culture of wild yeast and lactobacilli.\n\n## Feeding\n\nFeed the starter flour and water every day; ' +
      'it doubles in four to six hours when healthy.\n\n## Baking\n\nBake the loaf in a preheated Dutch oven for a crisp crust.',
    type: 'text/markdown',
  },
  {
    name: 'orbits.txt',
    content:
      'Kepler described planetary orbits as ellipses with the Sun at one focus.\n\nA geostationary satellite orbits at about 35,786 km above the equator, ' +
      'matching the rotation of the Earth.\n\nHohmann transfer orbits move a spacecraft between two circular orbits using two engine burns.',
    type: 'text/plain',
  },
];
