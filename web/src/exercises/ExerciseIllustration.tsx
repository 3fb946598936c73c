import { Center } from '@mantine/core';
import { IconStretching } from '@tabler/icons-react';

interface ExerciseIllustrationProps {
  url: string | null;
  /** What the picture shows; '' when the exercise's name is right beside it. */
  alt: string;
  /** Constrains the width (the picture keeps its 4:3 shape). */
  maxWidth?: number;
}

/**
 * An exercise's picture (a generated SVG for stock exercises, R-EXE-1), served by Motus itself and
 * public, so the patient's page shows it too. A placeholder when the exercise has none.
 */
export function ExerciseIllustration({ url, alt, maxWidth }: ExerciseIllustrationProps) {
  if (!url) {
    return (
      <Center className="exercise-illustration exercise-illustration-empty" style={{ maxWidth }} role={alt ? 'img' : undefined} aria-label={alt || undefined}>
        <IconStretching size={40} stroke={1.4} aria-hidden="true" />
      </Center>
    );
  }
  return <img className="exercise-illustration" src={url} alt={alt} width={240} height={180} loading="lazy" decoding="async" style={{ maxWidth }} />;
}
