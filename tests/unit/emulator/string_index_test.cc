#include "emulator/string_index.h"

#include <gtest/gtest.h>
