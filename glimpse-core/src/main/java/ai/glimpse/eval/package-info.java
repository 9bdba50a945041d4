/**
 * Caption metrics computed exactly as the official COCO caption toolkit (coco-caption /
 * pycocoevalcap) computes them: BLEU-1..4, ROUGE-L and CIDEr-D in Java, METEOR 1.5 through the
 * user's own {@code meteor-1.5.jar}, plus the loading and validation of results and annotation files.
 *
 * <p>The scorers ({@link ai.glimpse.eval.Bleu}, {@link ai.glimpse.eval.RougeL},
 * {@link ai.glimpse.eval.CiderD}, {@link ai.glimpse.eval.MeteorRunner}) take an
 * {@link ai.glimpse.eval.EvalSet} of already tokenized captions (tokens joined by single spaces, what
 * the toolkit feeds its scorers after its PTBTokenizer); {@link ai.glimpse.eval.CocoEvaluator}
 * tokenizes raw captions with {@code ai.glimpse.data.Tokenizer.normalize}, runs them all and returns
 * {@link ai.glimpse.eval.CaptionScores}, which {@link ai.glimpse.eval.ScoresJson} writes.
 */
package ai.glimpse.eval;
