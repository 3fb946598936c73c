import { describe, expect, it } from 'vitest';
import { consolePagesFor } from './sections.ts';

describe('consolePagesFor', () => {
  it('shows only the sections held, and billing to the owner', () => {
    expect(consolePagesFor({ owner: true, sections: ['users', 'sharing', 'defaults', 'security', 'import', 'audit'] }).map((p) => p.label)).toEqual([
      'Users',
      'Licences & billing',
      'Admins',
      'Sharing & content',
      'Practice defaults',
      'Patient import',
    ]);
    expect(consolePagesFor({ owner: false, sections: ['defaults'] }).map((p) => p.id)).toEqual(['defaults']);
    expect(consolePagesFor({ owner: false, sections: ['import', 'sharing'] }).map((p) => p.path)).toEqual(['sharing', 'import']);
    expect(consolePagesFor({ owner: false, sections: ['audit'] })).toEqual([]);
  });
});
