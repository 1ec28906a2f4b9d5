package dev.bakehouse.train.data;

import java.nio.file.Path;

/**
 * One {@code N_name} folder of a {@code train_data_dir}/{@code reg_data_dir}: kohya's
 * {@code generate_dreambooth_subsets_config_by_subdirs} entry.
 *
 * @param classTokens the name after the first {@code _} (underscores kept; {@code ""} for a bare number)
 */
public record SubsetFolder(Path imageDir, int numRepeats, String classTokens, boolean isReg) {

    /** The folder's name, the key of {@code ss_tag_frequency} and {@code ss_dataset_dirs}. */
    public String folderName() {
        return imageDir.getFileName().toString();
    }
}
