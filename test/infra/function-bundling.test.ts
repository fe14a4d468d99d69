import { PT_VERSION } from '@aws-lambda-powertools/commons';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTION_BUNDLING, powertoolsVersion } from '../../lib/constructs/function-bundling';

describe('function bundling', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'chasqui-bundling-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const packageJson = (dependencies: Record<string, string>): string => {
    const path = join(dir, 'package.json');
    writeFileSync(path, JSON.stringify({ dependencies }));
    return path;
  };

  it('leaves Powertools to its layer, whose version is the one installed and tested', () => {
    expect(FUNCTION_BUNDLING.externalModules).toContain('@aws-lambda-powertools/*');
    expect(powertoolsVersion()).toBe(PT_VERSION);
  });

  it('refuses Powertools packages pinned to different versions, which no single layer matches', () => {
    const path = packageJson({
      '@aws-lambda-powertools/logger': '2.35.0',
      '@aws-lambda-powertools/metrics': '2.34.0',
    });

    expect(() => powertoolsVersion(path)).toThrow(/one exact version.*2\.35\.0, 2\.34\.0/);
  });

  it('refuses a version range, which the layer parameter cannot name', () => {
    const path = packageJson({ '@aws-lambda-powertools/logger': '^2.35.0' });

    expect(() => powertoolsVersion(path)).toThrow(/one exact version/);
  });
});
