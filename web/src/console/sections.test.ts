import { describe, expect, it } from 'vitest';
import { consolePagesFor } from './sections.ts';

describe('consolePagesFor', () => {
  it('shows only the sections held, and billing to the owner', () => {
    expect(consolePagesFor({ owner: true, sections: ['users', 'sharing', 'defaults', 'security', 'import', 'audit'] }).map((p) => p.label)).toEqual([
      'Users',
      'Licences & billing',
      'Admins',
      'Integrations',
      'Sharing & content',
      'Practice defaults',
      'Patient import',
    ]);
    expect(consolePagesFor({ owner: false, sections: ['defaults'] }).map((p) => p.id)).toEqual(['defaults']);
    expect(consolePagesFor({ owner: false, sections: ['import', 'sharing'] }).map((p) => p.path)).toEqual(['sharing', 'import']);
    expect(consolePagesFor({ owner: false, sections: ['audit'] })).toEqual([]);
  });

  it('shows Integrations to the owner and to admins holding Users (R-INT-1, R-INT-3)', () => {
    expect(consolePagesFor({ owner: false, sections: ['users'] }).map((p) => p.id)).toContain('integrations');
    expect(consolePagesFor({ owner: true, sections: [] }).map((p) => p.id)).toContain('integrations');
    expect(consolePagesFor({ owner: false, sections: ['sharing', 'defaults', 'import'] }).map((p) => p.id)).not.toContain('integrations');
  });
});
