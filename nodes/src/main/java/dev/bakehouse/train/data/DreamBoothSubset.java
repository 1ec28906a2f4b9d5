package dev.bakehouse.train.data;

/**
 * A folder and the options kohya gives each subset: {@code caption_extension} (default
 * {@code .caption}; a leading dot is added when missing), the caption options and the image
 * augmentation options.
 */
public record DreamBoothSubset(SubsetFolder folder, String captionExtension, CaptionOptions captions, Augmentation augmentation) {

    public DreamBoothSubset {
        if (captionExtension == null || captionExtension.isEmpty()) {
            captionExtension = ".caption";
        } else if (!captionExtension.startsWith(".")) {
            captionExtension = "." + captionExtension;
        }
    }

    public static DreamBoothSubset of(SubsetFolder folder, String captionExtension, CaptionOptions captions) {
        return new DreamBoothSubset(folder, captionExtension, captions, Augmentation.NONE);
    }
}
