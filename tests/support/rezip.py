"""Rewrites a PyTorch zip archive the way another zip tool would, for the tests of the
readers that view stored records in place."""
import zipfile


def rezip(source, target, compression):
    """Python's zipfile writes no 64-byte alignment and puts the sizes in the headers;
    compression is zipfile.ZIP_STORED or zipfile.ZIP_DEFLATED."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", compression) as out:
        for info in original.infolist():
            out.writestr(info.filename, original.read(info.filename))
