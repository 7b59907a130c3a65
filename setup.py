"""Builds nadra's Python module _nadra with CMake (the repository's CMakeLists.txt, the same
libraries as the `nadra` command) and puts it into the package. pyproject.toml has the rest."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent


class CMakeExtension(Extension):
    def __init__(self, name: str):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        build = Path(os.environ.get("NADRA_PIP_BUILD_DIR", ROOT / "build-pip")).resolve()
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        subprocess.run(["cmake", "-S", str(ROOT), "-B", str(build), *generator,
                        "-DCMAKE_BUILD_TYPE=Release", "-DNADRA_PYTHON=ON", "-DNADRA_TESTS=OFF",
                        "-DNADRA_BENCH=OFF", f"-DPython_EXECUTABLE={sys.executable}"],
                       check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 2))
        subprocess.run(["cmake", "--build", str(build), "--target", "_nadra", "-j", jobs],
                       check=True)
        built = sorted((build / "python").glob("_nadra*.so"))
        if not built:
            raise RuntimeError(f"the build made no _nadra module in {build / 'python'}")
        target = Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built[0], target)


setup(ext_modules=[CMakeExtension("nadra._nadra")], cmdclass={"build_ext": CMakeBuild})
