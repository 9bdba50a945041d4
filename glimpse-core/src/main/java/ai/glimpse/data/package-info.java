/**
 * Everything between the files a user brings and the model's input: corpus readers that turn COCO
 * captions, Karpathy split and Flickr8k token files (told apart by content) into one
 * {@link ai.glimpse.data.CaptionCorpus}; the {@link ai.glimpse.data.Tokenizer} that every other
 * package uses for captions; the {@link ai.glimpse.data.Vocabulary} with its special tokens and JSON
 * form; image loading (decode, RGB, resize, normalise); and batching of padded word ids, masks and
 * image tensors. It knows nothing of SameDiff or the model: its outputs are plain Java values and
 * arrays, and bad input is refused with an {@link ai.glimpse.InputException} naming the file and what
 * is wrong with it.
 */
package ai.glimpse.data;
